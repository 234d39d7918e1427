<?php
/**
 * Turns one marked order / invoice / credit memo into one signed POST to Upline.
 *
 * It never throws: whatever goes wrong (settings, serialization, network, Upline answering non-2xx) is logged
 * and the sale carries on. There is no retry here; Upline reconciles against the REST API for what it missed.
 */
declare(strict_types=1);

namespace Upline\Commissions\Model;

use Magento\Framework\DataObject;
use Magento\Framework\UrlInterface;
use Magento\Store\Model\StoreManagerInterface;
use Psr\Log\LoggerInterface;

class Dispatcher
{
    private const LOG_SNIPPET_BYTES = 300;

    /** @var array<string, true> event ids already handled in this PHP process (a request, a cron run) */
    private array $handled = [];

    public function __construct(
        private readonly Config $config,
        private readonly PayloadSource $payloadSource,
        private readonly EventId $eventIds,
        private readonly Envelope $envelope,
        private readonly Signer $signer,
        private readonly Sender $sender,
        private readonly StoreManagerInterface $storeManager,
        private readonly LoggerInterface $logger
    ) {
    }

    /**
     * @param DataObject $entity the order (order.placed), invoice (order.invoiced) or credit memo (creditmemo.created)
     */
    public function dispatch(string $topic, DataObject $entity): void
    {
        $eventId = '';
        try {
            $storeId = (int) $entity->getData('store_id');
            if (!$this->config->isEnabled($storeId)) {
                return;
            }
            $url = $this->config->endpointUrl($storeId);
            $secret = $this->config->secret($storeId);
            if ($url === null || $secret === '') {
                $this->logger->warning('Upline: not sent, the HTTPS endpoint URL or the shared secret is missing', [
                    'topic' => $topic,
                    'store_id' => $storeId,
                ]);
                return;
            }

            $eventId = $this->eventIds->build(
                $topic,
                (int) $entity->getData('entity_id'),
                (string) $entity->getData('increment_id'),
                (string) $entity->getData('created_at')
            );
            // The same entity can be saved twice in one request (status, e-mail flags); one event is enough.
            if (isset($this->handled[$eventId])) {
                return;
            }
            $this->handled[$eventId] = true;

            $body = $this->envelope->encode(
                $topic,
                $eventId,
                new \DateTimeImmutable('now'),
                $this->storeBaseUrl($storeId),
                $this->data($topic, $entity)
            );

            $response = $this->sender->post($url, $body, [
                'Content-Type' => 'application/json',
                'X-Upline-Topic' => $topic,
                'X-Upline-Event-Id' => $eventId,
                'X-Upline-Signature' => $this->signer->sign($body, $secret),
            ]);
            $this->logResponse($topic, $eventId, $response);
        } catch (\Throwable $e) {
            // Never the body or the secret: the body holds customer data.
            $this->logger->error('Upline: event not sent: ' . $e->getMessage(), [
                'topic' => $topic,
                'event_id' => $eventId,
                'exception_class' => get_class($e),
            ]);
        }
    }

    /**
     * @return array<string, mixed> the credit memo for creditmemo.created, otherwise the order (an invoice's order)
     */
    private function data(string $topic, DataObject $entity): array
    {
        return match ($topic) {
            Topic::CREDITMEMO_CREATED => $this->payloadSource->creditmemo((int) $entity->getData('entity_id')),
            Topic::ORDER_INVOICED => $this->payloadSource->order((int) $entity->getData('order_id')),
            default => $this->payloadSource->order((int) $entity->getData('entity_id')),
        };
    }

    private function storeBaseUrl(int $storeId): string
    {
        return (string) $this->storeManager->getStore($storeId)->getBaseUrl(UrlInterface::URL_TYPE_WEB, true);
    }

    /**
     * @param array{status: int, body: string} $response
     */
    private function logResponse(string $topic, string $eventId, array $response): void
    {
        $context = ['topic' => $topic, 'event_id' => $eventId, 'status' => $response['status']];
        if ($response['status'] >= 200 && $response['status'] < 300) {
            $this->logger->info('Upline: event delivered', $context);
            return;
        }
        $context['response'] = mb_strcut($response['body'], 0, self::LOG_SNIPPET_BYTES);
        $this->logger->warning('Upline: event rejected', $context);
    }
}
