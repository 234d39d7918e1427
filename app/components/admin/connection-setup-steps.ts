/** The steps to paste into the store, per platform. */
export const SETUP_STEPS = {
  woocommerce: [
    "In WordPress, open WooCommerce › Settings › Advanced › Webhooks and add a webhook.",
    "Status: Active. Topic: Order updated (add a second webhook for Order created if you like). API version: WP REST API v3.",
    "Delivery URL: the ingest URL below. Secret: the secret shown once when you connected (or after a rotation).",
    "Save. WooCommerce sends a ping, which Upline answers with 200; orders then arrive as they are paid.",
  ],
  magento: [
    "Install the Upline module (extensions/magento-module): copy it to app/code/Upline/Commissions and run bin/magento module:enable Upline_Commissions && bin/magento setup:upgrade.",
    "In the Magento admin, open Stores › Configuration › Upline › Commissions.",
    "Endpoint URL: the ingest URL below. Shared secret: the secret shown once when you connected (or after a rotation).",
    "Set Send orders to Upline to Yes and save; the module signs each order, invoice and credit memo it sends.",
  ],
} as const;
