<?php
/**
 * sales_order_invoice_pay: Invoice::pay() runs before the invoice (and the order's new totals) are saved,
 * so only mark the invoice; SendAfterCommit sends the order once everything has committed.
 * pay() runs once per invoice, whether captured at checkout or later from the admin.
 */
declare(strict_types=1);

namespace Upline\Commissions\Observer;

use Magento\Framework\DataObject;
use Magento\Framework\Event\Observer;
use Magento\Framework\Event\ObserverInterface;
use Psr\Log\LoggerInterface;
use Upline\Commissions\Model\Topic;

class MarkInvoicePaid implements ObserverInterface
{
    public function __construct(private readonly LoggerInterface $logger)
    {
    }

    public function execute(Observer $observer): void
    {
        try {
            $invoice = $observer->getEvent()->getData('invoice');
            if ($invoice instanceof DataObject) {
                $invoice->setData(Topic::PENDING_KEY, Topic::ORDER_INVOICED);
            }
        } catch (\Throwable $e) {
            $this->logger->error('Upline: could not mark a paid invoice: ' . $e->getMessage());
        }
    }
}
