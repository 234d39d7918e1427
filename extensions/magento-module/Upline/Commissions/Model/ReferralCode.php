<?php
/**
 * The referral code rule shared with the Shopify theme extension: trimmed, 1-64 of [A-Za-z0-9_-].
 * Anything else is dropped rather than repaired, so a malformed value never credits the wrong distributor.
 */
declare(strict_types=1);

namespace Upline\Commissions\Model;

class ReferralCode
{
    public function normalize(mixed $raw): ?string
    {
        if (!is_string($raw)) {
            return null;
        }
        $code = trim($raw);
        return preg_match('/^[A-Za-z0-9_-]{1,64}$/D', $code) === 1 ? $code : null;
    }
}
