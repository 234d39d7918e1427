<?php
/**
 * Settings from Stores > Configuration > Upline > Commissions, read in the scope of the order's store view.
 */
declare(strict_types=1);

namespace Upline\Commissions\Model;

use Magento\Framework\App\Config\ScopeConfigInterface;
use Magento\Store\Model\ScopeInterface;

class Config
{
    private const ENABLED = 'upline/connection/enabled';
    private const ENDPOINT_URL = 'upline/connection/endpoint_url';
    private const SECRET = 'upline/connection/secret';
    private const REFERRAL_ATTRIBUTE = 'upline/connection/referral_attribute';
    private const DEFAULT_REFERRAL_ATTRIBUTE = 'upline_ref';
    private const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

    public function __construct(private readonly ScopeConfigInterface $scopeConfig)
    {
    }

    public function isEnabled(int $storeId): bool
    {
        return $this->scopeConfig->isSetFlag(self::ENABLED, ScopeInterface::SCOPE_STORE, $storeId);
    }

    /**
     * The endpoint, or null when it is missing or not HTTPS. Orders carry names and addresses, so they only
     * travel encrypted; plain HTTP is allowed for a loopback host, where a developer runs Upline locally.
     */
    public function endpointUrl(int $storeId): ?string
    {
        $url = $this->value(self::ENDPOINT_URL, $storeId);
        $scheme = strtolower((string) parse_url($url, PHP_URL_SCHEME));
        $host = strtolower((string) parse_url($url, PHP_URL_HOST));
        if ($host === '') {
            return null;
        }
        if ($scheme === 'https' || ($scheme === 'http' && in_array($host, self::LOOPBACK_HOSTS, true))) {
            return $url;
        }
        return null;
    }

    /**
     * Decrypted by the backend model declared in etc/config.xml, and trimmed like every setting here: a pasted
     * secret often drags a newline along, and the signature would silently never match.
     */
    public function secret(int $storeId): string
    {
        return $this->value(self::SECRET, $storeId);
    }

    public function referralAttribute(int $storeId): string
    {
        $code = $this->value(self::REFERRAL_ATTRIBUTE, $storeId);
        return $code !== '' ? $code : self::DEFAULT_REFERRAL_ATTRIBUTE;
    }

    private function value(string $path, int $storeId): string
    {
        return trim((string) $this->scopeConfig->getValue($path, ScopeInterface::SCOPE_STORE, $storeId));
    }
}
