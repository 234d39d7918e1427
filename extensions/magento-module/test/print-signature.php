<?php
/**
 * Prints a signature, with no trailing newline, for signer.test.ts to compare with node:crypto byte for byte.
 *   php test/print-signature.php            the signature of the body and secret in signature-vector.json
 *   php test/print-signature.php SECRET     the signature of the bytes on stdin with SECRET
 */
declare(strict_types=1);

require_once __DIR__ . '/lib.php';
require_once MODULE_DIR . '/Model/Signer.php';

use Upline\Commissions\Model\Signer;

if (isset($argv[1])) {
    $secret = $argv[1];
    $body = (string) stream_get_contents(STDIN);
} else {
    ['secret' => $secret, 'body' => $body] = signature_vector();
}
echo (new Signer())->sign($body, $secret);
