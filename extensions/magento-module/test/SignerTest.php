<?php
/**
 * X-Upline-Signature = base64(HMAC-SHA256(raw body, secret)), checked against a vector computed with openssl.
 * Run: php test/SignerTest.php (exit 1 on failure).
 */
declare(strict_types=1);

require_once __DIR__ . '/lib.php';
require_once MODULE_DIR . '/Model/Signer.php';

use Upline\Commissions\Model\Signer;

$signer = new Signer();
$vector = signature_vector();

Checks::same($vector['signature'], $signer->sign($vector['body'], $vector['secret']), 'known vector');
Checks::same(44, strlen($signer->sign('', 'secret')), 'a signature is 32 bytes, 44 base64 characters');
// RFC 4231 test case 2 (key "Jefe"), as base64 instead of hex.
Checks::same(
    base64_encode((string) hex2bin('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')),
    $signer->sign('what do ya want for nothing?', 'Jefe'),
    'RFC 4231 test case 2'
);
Checks::same(
    false,
    $signer->sign($vector['body'], $vector['secret']) === $signer->sign($vector['body'] . ' ', $vector['secret']),
    'one more byte of body changes the signature'
);
Checks::same(
    false,
    $signer->sign($vector['body'], $vector['secret']) === $signer->sign($vector['body'], $vector['secret'] . 'x'),
    'another secret changes the signature'
);

Checks::finish('SignerTest');
