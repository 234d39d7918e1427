<?php
/**
 * Registers the module with Magento when installed under app/code/Upline/Commissions or through Composer.
 */
declare(strict_types=1);

use Magento\Framework\Component\ComponentRegistrar;

ComponentRegistrar::register(ComponentRegistrar::MODULE, 'Upline_Commissions', __DIR__);
