<?php
/**
 * Copies the configured referral field of an order (default column `upline_ref`) into
 * extension_attributes.upline_ref on every repository read. The webhook builds `data` from that same read, and
 * REST clients (Upline's backfill) see the same field.
 */
declare(strict_types=1);

namespace Upline\Commissions\Plugin;

use Magento\Framework\DataObject;
use Magento\Sales\Api\Data\OrderExtensionFactory;
use Magento\Sales\Api\Data\OrderInterface;
use Magento\Sales\Api\Data\OrderSearchResultInterface;
use Magento\Sales\Api\OrderRepositoryInterface;
use Psr\Log\LoggerInterface;
use Upline\Commissions\Model\Config;
use Upline\Commissions\Model\ReferralCode;

class AddReferralToOrder
{
    public function __construct(
        private readonly Config $config,
        private readonly ReferralCode $referralCode,
        private readonly OrderExtensionFactory $extensionFactory,
        private readonly LoggerInterface $logger
    ) {
    }

    public function afterGet(OrderRepositoryInterface $subject, OrderInterface $order): OrderInterface
    {
        $this->addReferral($order);
        return $order;
    }

    public function afterGetList(
        OrderRepositoryInterface $subject,
        OrderSearchResultInterface $result
    ): OrderSearchResultInterface {
        foreach ($result->getItems() as $order) {
            $this->addReferral($order);
        }
        return $result;
    }

    private function addReferral(OrderInterface $order): void
    {
        // Reading an order must keep working whatever happens here.
        try {
            if (!$order instanceof DataObject) {
                return;
            }
            $field = $this->config->referralAttribute((int) $order->getStoreId());
            $code = $this->referralCode->normalize($order->getData($field));
            if ($code === null) {
                return;
            }
            $extension = $order->getExtensionAttributes() ?? $this->extensionFactory->create();
            $extension->setUplineRef($code);
            $order->setExtensionAttributes($extension);
        } catch (\Throwable $e) {
            $this->logger->error('Upline: referral code not added to order: ' . $e->getMessage(), [
                'order_id' => $order->getEntityId(),
            ]);
        }
    }
}
