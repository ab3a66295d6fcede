ALTER TABLE `api_keys` ADD `name` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `scopes` text DEFAULT '["read","issue","revoke","manage"]' NOT NULL;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `last_used_at` integer;--> statement-breakpoint
ALTER TABLE `credentials` ADD `resigned_at` integer;--> statement-breakpoint
ALTER TABLE `signing_keys` ADD `revoked_at` integer;--> statement-breakpoint
ALTER TABLE `signing_keys` ADD `revocation_reason` text;--> statement-breakpoint
ALTER TABLE `signing_keys` ADD `resign_total` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `signing_keys` ADD `resign_done` integer DEFAULT 0 NOT NULL;