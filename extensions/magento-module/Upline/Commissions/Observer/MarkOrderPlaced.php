<?php
/**
 * sales_order_place_after: the order is placed but not saved yet (no entity_id), so only mark it;
 * SendAfterCommit sends it once the order's transaction has committed.
 */
declare(strict_types=1);

namespace Upline\Commissions\Observer;

use Magento\Framework\DataObject;
use Magento\Framework\Event\Observer;
use Magento\Framework\Event\ObserverInterface;
use Psr\Log\LoggerInterface;
use Upline\Commissions\Model\Topic;

class MarkOrderPlaced implements ObserverInterface
{
    public function __construct(private readonly LoggerInterface $logger)
    {
    }

    public function execute(Observer $observer): void
    {
        try {
            $order = $observer->getEvent()->getData('order');
            if ($order instanceof DataObject) {
                $order->setData(Topic::PENDING_KEY, Topic::ORDER_PLACED);
            }
        } catch (\Throwable $e) {
            $this->logger->error('Upline: could not mark a placed order: ' . $e->getMessage());
        }
    }
}
