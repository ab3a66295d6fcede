CREATE TABLE `credential_publications` (
	`credential_id` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`due_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text
);
--> statement-breakpoint
CREATE INDEX `credential_publications_due_idx` ON `credential_publications` (`due_at`);--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `redrive_attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `redrive_after` integer;--> statement-breakpoint
ALTER TABLE `orgs` ADD `issuer_published_version` integer;--> statement-breakpoint
ALTER TABLE `status_lists` ADD `published_version` integer;--> statement-breakpoint
CREATE INDEX `status_lists_unpublished_idx` ON `status_lists` (`id`) WHERE "status_lists"."published_version" IS NULL OR "status_lists"."published_version" < "status_lists"."version";