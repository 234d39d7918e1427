<?php
/**
 * The request body of the wire contract (README.md): {event, event_id, created_at, store_base_url, data}.
 * Free of Magento classes so it can be tested with plain php-cli.
 */
declare(strict_types=1);

namespace Upline\Commissions\Model;

class Envelope
{
    /**
     * @param array<string, mixed> $data the order or credit memo exactly as Magento's REST API returns it
     */
    public function encode(
        string $topic,
        string $eventId,
        \DateTimeInterface $at,
        string $storeBaseUrl,
        array $data
    ): string {
        $utc = \DateTimeImmutable::createFromInterface($at)->setTimezone(new \DateTimeZone('UTC'));
        return json_encode(
            [
                'event' => $topic,
                'event_id' => $eventId,
                'created_at' => $utc->format('Y-m-d\TH:i:s\Z'),
                'store_base_url' => $storeBaseUrl,
                // An empty PHP array would encode as [], and the contract promises an object.
                'data' => $data === [] ? new \stdClass() : $data,
            ],
            // A stray invalid UTF-8 byte in, say, a customer name must not cost the whole event.
            JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE | JSON_THROW_ON_ERROR
        );
    }
}
