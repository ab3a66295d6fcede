CREATE TABLE `integration_credentials` (
	`integration_id` text NOT NULL,
	`course_id` text NOT NULL,
	`lms_user_id` text NOT NULL,
	`credential_id` text NOT NULL,
	`sync_id` text NOT NULL,
	`issued_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`integration_id`, `course_id`, `lms_user_id`),
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `integration_sync_learners` (
	`sync_id` text NOT NULL,
	`lms_user_id` text NOT NULL,
	`name` text,
	`email` text,
	`state` text NOT NULL,
	`completed` integer,
	`credential_id` text,
	`error_code` text,
	`error_detail` text,
	`record` text,
	PRIMARY KEY(`sync_id`, `lms_user_id`),
	FOREIGN KEY (`sync_id`) REFERENCES `integration_syncs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `integration_sync_learners_state_idx` ON `integration_sync_learners` (`sync_id`,`state`);--> statement-breakpoint
CREATE TABLE `integration_syncs` (
	`id` text PRIMARY KEY NOT NULL,
	`integration_id` text NOT NULL,
	`org_id` text NOT NULL,
	`trigger` text NOT NULL,
	`status` text NOT NULL,
	`phase` text DEFAULT 'list' NOT NULL,
	`cursor` text,
	`step` integer DEFAULT 0 NOT NULL,
	`pages` integer DEFAULT 0 NOT NULL,
	`failure_reason` text,
	`request_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `integration_syncs_integration_idx` ON `integration_syncs` (`integration_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `integration_syncs_status_idx` ON `integration_syncs` (`status`,`updated_at`);--> statement-breakpoint
CREATE TABLE `integrations` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`base_url` text NOT NULL,
	`token_encrypted` text NOT NULL,
	`course_id` text NOT NULL,
	`achievement_id` text NOT NULL,
	`schedule` text,
	`schedule_minutes` integer,
	`next_sync_at` integer,
	`requests_per_second` integer DEFAULT 5 NOT NULL,
	`max_concurrency` integer DEFAULT 2 NOT NULL,
	`rate_next_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`achievement_id`) REFERENCES `achievements`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `integrations_org_created_idx` ON `integrations` (`org_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `integrations_next_sync_idx` ON `integrations` (`next_sync_at`);