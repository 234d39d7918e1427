<?php
/**
 * Signature of one request to Upline: base64(HMAC-SHA256(raw body, shared secret)), sent as X-Upline-Signature.
 *
 * Deliberately free of Magento classes: test/SignerTest.php and test/print-signature.php run it with plain
 * php-cli, and Upline's own tests compare its output byte for byte with node:crypto.
 */
declare(strict_types=1);

namespace Upline\Commissions\Model;

class Signer
{
    public function sign(string $body, string $secret): string
    {
        // Raw (binary) digest, then base64: the same encoding Shopify and WooCommerce use, so Upline verifies
        // all three platforms with one routine.
        return base64_encode(hash_hmac('sha256', $body, $secret, true));
    }
}
