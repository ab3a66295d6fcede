CREATE TABLE `applied_count_flushes` (
	`flush_id` text PRIMARY KEY NOT NULL,
	`applied_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `applied_count_flushes_applied_at_idx` ON `applied_count_flushes` (`applied_at`);--> statement-breakpoint
CREATE TABLE `credential_daily_counts` (
	`credential_id` text NOT NULL,
	`day` text NOT NULL,
	`org_id` text NOT NULL,
	`achievement_id` text NOT NULL,
	`views` integer DEFAULT 0 NOT NULL,
	`verifications` integer DEFAULT 0 NOT NULL,
	`shares` integer DEFAULT 0 NOT NULL,
	`images` integer DEFAULT 0 NOT NULL,
	`embeds` integer DEFAULT 0 NOT NULL,
	`bot_views` integer DEFAULT 0 NOT NULL,
	`bot_verifications` integer DEFAULT 0 NOT NULL,
	`bot_shares` integer DEFAULT 0 NOT NULL,
	`bot_images` integer DEFAULT 0 NOT NULL,
	`bot_embeds` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`credential_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `credential_daily_counts_org_day_idx` ON `credential_daily_counts` (`org_id`,`day`);