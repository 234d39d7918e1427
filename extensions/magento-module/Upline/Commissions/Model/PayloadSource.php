<?php
/**
 * Builds `data` of the wire contract with Magento's own REST serializer, so it is exactly what
 * GET /V1/orders/{id} and GET /V1/creditmemo/{id} return (snake_case keys, typed values, extension attributes).
 */
declare(strict_types=1);

namespace Upline\Commissions\Model;

use Magento\Framework\Webapi\ServiceOutputProcessor;
use Magento\Sales\Api\CreditmemoRepositoryInterface;
use Magento\Sales\Api\CreditmemoRepositoryInterfaceFactory;
use Magento\Sales\Api\OrderRepositoryInterface;
use Magento\Sales\Api\OrderRepositoryInterfaceFactory;

class PayloadSource
{
    public function __construct(
        private readonly OrderRepositoryInterfaceFactory $orderRepositories,
        private readonly CreditmemoRepositoryInterfaceFactory $creditmemoRepositories,
        private readonly ServiceOutputProcessor $outputProcessor
    ) {
    }

    /**
     * @return array<string, mixed>
     */
    public function order(int $orderId): array
    {
        // A new repository starts with an empty identity map, so this reads the committed rows (with the
        // repository's plugins applied, as REST does) instead of an instance cached earlier in the request
        // that may predate the invoice or refund.
        $order = $this->orderRepositories->create()->get($orderId);
        return (array) $this->outputProcessor->process($order, OrderRepositoryInterface::class, 'get');
    }

    /**
     * @return array<string, mixed>
     */
    public function creditmemo(int $creditmemoId): array
    {
        $creditmemo = $this->creditmemoRepositories->create()->get($creditmemoId);
        return (array) $this->outputProcessor->process($creditmemo, CreditmemoRepositoryInterface::class, 'get');
    }
}
