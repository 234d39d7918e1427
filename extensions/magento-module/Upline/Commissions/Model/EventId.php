<?php
/**
 * event_id of the wire contract: "<entity type>-<entity id>-<topic>-<fingerprint>", e.g.
 * "invoice-42-order.invoiced-5d41402abc4b2a76".
 *
 * Stable for one business event, so a second send of the same event carries the same id and Upline's inbox
 * drops it. That is why it hashes the entity's increment_id and created_at, never updated_at: updated_at moves
 * with every save and would turn one event into many. The fingerprint tells apart two entities that share an
 * entity_id after a database restore or reset.
 */
declare(strict_types=1);

namespace Upline\Commissions\Model;

class EventId
{
    public function build(string $topic, int $entityId, string $incrementId, string $createdAt): string
    {
        $fingerprint = substr(hash('sha256', $incrementId . '|' . $createdAt), 0, 16);
        return Topic::entityType($topic) . '-' . $entityId . '-' . $topic . '-' . $fingerprint;
    }
}
