<?php
/**
 * sales_order_creditmemo_save_before: a credit memo saved without an id is being created. This is the last
 * moment that can tell: sales resources reset isObjectNew() right after the INSERT, so in save_after every
 * memo looks old. Later saves of the same memo (state changes, e-mail flags) are not refunds and are skipped.
 */
declare(strict_types=1);

namespace Upline\Commissions\Observer;

use Magento\Framework\DataObject;
use Magento\Framework\Event\Observer;
use Magento\Framework\Event\ObserverInterface;
use Psr\Log\LoggerInterface;
use Upline\Commissions\Model\Topic;

class MarkCreditmemoCreated implements ObserverInterface
{
    public function __construct(private readonly LoggerInterface $logger)
    {
    }

    public function execute(Observer $observer): void
    {
        try {
            $creditmemo = $observer->getEvent()->getData('creditmemo');
            if ($creditmemo instanceof DataObject && !$creditmemo->getData('entity_id')) {
                $creditmemo->setData(Topic::PENDING_KEY, Topic::CREDITMEMO_CREATED);
            }
        } catch (\Throwable $e) {
            $this->logger->error('Upline: could not mark a new credit memo: ' . $e->getMessage());
        }
    }
}
