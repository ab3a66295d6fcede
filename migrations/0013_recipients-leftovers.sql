CREATE TABLE `issuer_logos` (
	`org_id` text NOT NULL,
	`digest` text NOT NULL,
	`content_type` text NOT NULL,
	`bytes` blob NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`org_id`, `digest`)
);
--> statement-breakpoint
CREATE INDEX `issuer_logos_digest_idx` ON `issuer_logos` (`digest`);--> statement-breakpoint
CREATE TABLE `certificate_templates` (
	`achievement_id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`page_size` text DEFAULT 'A4' NOT NULL,
	`accent_color` text,
	`title` text,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `backfills` (
	`name` text PRIMARY KEY NOT NULL,
	`cursor` text DEFAULT '' NOT NULL,
	`processed` integer DEFAULT 0 NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
ALTER TABLE `orgs` ADD `logo_digest` text;