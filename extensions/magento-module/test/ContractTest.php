<?php
/**
 * The pure parts of the wire contract (README.md): envelope bytes, event_id, referral codes, topics.
 * Run: php test/ContractTest.php (exit 1 on failure).
 */
declare(strict_types=1);

require_once __DIR__ . '/lib.php';
foreach (['Topic', 'EventId', 'Envelope', 'ReferralCode'] as $class) {
    require_once MODULE_DIR . "/Model/{$class}.php";
}

use Upline\Commissions\Model\Envelope;
use Upline\Commissions\Model\EventId;
use Upline\Commissions\Model\ReferralCode;
use Upline\Commissions\Model\Topic;

$eventIds = new EventId();
$envelope = new Envelope();
$codes = new ReferralCode();

// event_id: stable per business event, keyed by the entity the event is about.
$orderEventId = $eventIds->build(Topic::ORDER_PLACED, 3, '000000003', '2026-11-22 12:00:00');
Checks::same('order-3-order.placed-22b8672b72aba2a6', $orderEventId, 'event_id of order.placed');
$again = $eventIds->build(Topic::ORDER_PLACED, 3, '000000003', '2026-11-22 12:00:00');
Checks::same($orderEventId, $again, 'event_id is stable');
$invoiceEventId = $eventIds->build(Topic::ORDER_INVOICED, 42, '000000007', '2026-11-22 12:01:00');
Checks::same(1, preg_match('/^invoice-42-order\.invoiced-[0-9a-f]{16}$/', $invoiceEventId), 'order.invoiced is keyed by the invoice');
$memoEventId = $eventIds->build(Topic::CREDITMEMO_CREATED, 5, '000000001', '2026-11-23 08:00:00');
Checks::same(1, preg_match('/^creditmemo-5-creditmemo\.created-[0-9a-f]{16}$/', $memoEventId), 'creditmemo.created is keyed by the memo');
$reused = $eventIds->build(Topic::ORDER_PLACED, 3, '000000003', '2027-01-01 00:00:00');
Checks::same(false, $orderEventId === $reused, 'a reused entity_id (database reset) gets another event_id');
Checks::throws(fn () => $eventIds->build('order.updated', 3, '1', 'x'), 'unknown topics are refused');

// Envelope: the exact bytes of the signature vector, so the vector is a real body, not a made-up string.
$body = $envelope->encode(
    Topic::ORDER_PLACED,
    $orderEventId,
    new DateTimeImmutable('2026-11-22T13:00:05+01:00'),
    'https://shop.example/',
    [
        'entity_id' => 3,
        'increment_id' => '000000003',
        'customer_firstname' => 'Zoë',
        'order_currency_code' => 'EUR',
        'grand_total' => 160.0,
        'extension_attributes' => ['upline_ref' => 'ALICE'],
    ]
);
Checks::same(signature_vector()['body'], $body, 'envelope bytes (UTC time, unescaped slashes and UTF-8)');
Checks::same(
    '{"event":"creditmemo.created","event_id":"e","created_at":"2026-11-22T12:00:00Z","store_base_url":"https://s/","data":{}}',
    $envelope->encode(Topic::CREDITMEMO_CREATED, 'e', new DateTimeImmutable('2026-11-22T12:00:00Z'), 'https://s/', []),
    'empty data is still an object'
);
$withBadByte = $envelope->encode(Topic::ORDER_PLACED, 'e', new DateTimeImmutable(), 'https://s/', ['name' => "Zo\xC3"]);
Checks::same("Zo\u{FFFD}", json_decode($withBadByte, true)['data']['name'], 'invalid UTF-8 is replaced, not fatal');

// Referral codes: the same rule as the Shopify theme extension.
foreach (['ALICE' => 'ALICE', ' bob_42-x ' => 'bob_42-x', str_repeat('a', 64) => str_repeat('a', 64)] as $raw => $code) {
    Checks::same($code, $codes->normalize((string) $raw), "referral code " . var_export($raw, true));
}
foreach (['', '  ', 'a b', '<x>', 'dé', str_repeat('a', 65), "ALICE\n\nX", null, 42] as $raw) {
    Checks::same(null, $codes->normalize($raw), 'rejected referral code ' . var_export($raw, true));
}

Checks::finish('ContractTest');
