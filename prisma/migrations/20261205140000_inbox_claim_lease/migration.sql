-- A claimed inbox row is leased, not owned: a worker killed mid-run leaves `processing` behind, and once the
-- lease has passed any later attempt (a stalled job's redelivery, the sweeper's re-enqueue, a replay) may claim
-- it again. Also serves as "not before" for a row deliberately put off (a shop/redact that came too early).
ALTER TABLE "WebhookEvent" ADD COLUMN "leaseUntil" TIMESTAMP(3);
