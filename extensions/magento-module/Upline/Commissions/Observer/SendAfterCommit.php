<?php
/**
 * *_save_commit_after for orders, invoices and credit memos: runs after the outermost transaction commits.
 * Most saves carry no mark and return at once, so this costs nothing on the many unrelated order saves.
 */
declare(strict_types=1);

namespace Upline\Commissions\Observer;

use Magento\Framework\DataObject;
use Magento\Framework\Event\Observer;
use Magento\Framework\Event\ObserverInterface;
use Psr\Log\LoggerInterface;
use Upline\Commissions\Model\Dispatcher;
use Upline\Commissions\Model\Topic;

class SendAfterCommit implements ObserverInterface
{
    public function __construct(
        private readonly Dispatcher $dispatcher,
        private readonly LoggerInterface $logger
    ) {
    }

    public function execute(Observer $observer): void
    {
        try {
            $entity = $observer->getEvent()->getData('data_object');
            if (!$entity instanceof DataObject) {
                return;
            }
            $topic = $entity->getData(Topic::PENDING_KEY);
            if (!is_string($topic)) {
                return;
            }
            // Cleared before sending, so a later save of the same object in this request does not send again.
            $entity->unsetData(Topic::PENDING_KEY);
            $this->dispatcher->dispatch($topic, $entity);
        } catch (\Throwable $e) {
            $this->logger->error('Upline: could not hand an event to the dispatcher: ' . $e->getMessage());
        }
    }
}
