ALTER TABLE `status_lists` ADD `valid_until` integer;--> statement-breakpoint
CREATE INDEX `status_lists_valid_until_idx` ON `status_lists` (`valid_until`);