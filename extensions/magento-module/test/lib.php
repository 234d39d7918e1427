<?php
/**
 * Just enough of a test harness for plain php-cli (no PHPUnit, no Composer): the pure classes under test have
 * no Magento dependencies, so they load with require_once.
 */
declare(strict_types=1);

const MODULE_DIR = __DIR__ . '/../Upline/Commissions';

/** @return array{secret: string, body: string, signature: string} */
function signature_vector(): array
{
    $vector = json_decode((string) file_get_contents(__DIR__ . '/signature-vector.json'), true, 512, JSON_THROW_ON_ERROR);
    return ['secret' => $vector['secret'], 'body' => $vector['body'], 'signature' => $vector['signature']];
}

final class Checks
{
    private static int $failures = 0;
    private static int $passes = 0;

    public static function same(mixed $expected, mixed $actual, string $label): void
    {
        if ($expected === $actual) {
            self::$passes++;
            return;
        }
        self::$failures++;
        fwrite(STDERR, "FAIL {$label}\n  expected: " . var_export($expected, true) . "\n  actual:   " . var_export($actual, true) . "\n");
    }

    public static function throws(callable $fn, string $label): void
    {
        try {
            $fn();
        } catch (\Throwable) {
            self::$passes++;
            return;
        }
        self::$failures++;
        fwrite(STDERR, "FAIL {$label}: nothing was thrown\n");
    }

    /** Prints a summary and ends the script: exit 1 on any failure. */
    public static function finish(string $suite): never
    {
        $status = self::$failures === 0 ? 'ok' : 'FAILED';
        echo "{$suite}: {$status} (" . self::$passes . ' passed, ' . self::$failures . " failed)\n";
        exit(self::$failures === 0 ? 0 : 1);
    }
}
