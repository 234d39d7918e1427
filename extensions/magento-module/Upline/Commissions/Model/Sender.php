<?php
/**
 * One HTTP POST to Upline. It runs inside the shopper's (or admin's) request after the commit, so the timeouts
 * are short: a slow or absent Upline may cost a checkout a few seconds, never the order.
 */
declare(strict_types=1);

namespace Upline\Commissions\Model;

use Magento\Framework\HTTP\Client\CurlFactory;

class Sender
{
    private const CONNECT_TIMEOUT_S = 2;
    private const TIMEOUT_S = 3;

    public function __construct(private readonly CurlFactory $curlFactory)
    {
    }

    /**
     * @param array<string, string> $headers
     * @return array{status: int, body: string}
     * @throws \Exception on a transport error (DNS, TLS, timeout)
     */
    public function post(string $url, string $body, array $headers): array
    {
        // A fresh client per request: Magento's Curl keeps headers and response state between calls.
        $curl = $this->curlFactory->create();
        $curl->setTimeout(self::TIMEOUT_S);
        $curl->setOption(CURLOPT_CONNECTTIMEOUT, self::CONNECT_TIMEOUT_S);
        // Redirects are not followed: curl would replay a POST as a GET without the body.
        $curl->setOption(CURLOPT_FOLLOWLOCATION, false);
        // An empty Expect stops curl from sending "Expect: 100-continue" for bodies over 1 KB. That costs up to a
        // second, and Magento's Curl reads the status from the first response line, which would then be the 100.
        $curl->setHeaders($headers + ['Expect' => '']);
        $curl->post($url, $body);
        return ['status' => (int) $curl->getStatus(), 'body' => (string) $curl->getBody()];
    }
}
