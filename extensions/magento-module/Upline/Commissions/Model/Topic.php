<?php
/**
 * The three events of the wire contract (README.md), and the in-memory mark that carries one of them from the
 * business event to the commit.
 */
declare(strict_types=1);

namespace Upline\Commissions\Model;

final class Topic
{
    public const ORDER_PLACED = 'order.placed';
    public const ORDER_INVOICED = 'order.invoiced';
    public const CREDITMEMO_CREATED = 'creditmemo.created';

    /** Data key set on the order / invoice / credit memo object; never a column, so it is never persisted. */
    public const PENDING_KEY = 'upline_pending_topic';

    /** Entity whose id identifies the event: one order.invoiced per invoice, not per order. */
    public static function entityType(string $topic): string
    {
        return match ($topic) {
            self::ORDER_PLACED => 'order',
            self::ORDER_INVOICED => 'invoice',
            self::CREDITMEMO_CREATED => 'creditmemo',
            default => throw new \InvalidArgumentException('Unknown Upline topic: ' . $topic),
        };
    }
}
