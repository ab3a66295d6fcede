CREATE TABLE `credential_proofs` (
	`credential_id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`key_multibase` text NOT NULL,
	`proof` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `credential_proofs_org_key_idx` ON `credential_proofs` (`org_id`,`key_multibase`);--> statement-breakpoint
ALTER TABLE `signing_keys` ADD `di_public_key_multibase` text;--> statement-breakpoint
ALTER TABLE `signing_keys` ADD `di_private_jwk_encrypted` text;--> statement-breakpoint
ALTER TABLE `signing_keys` ADD `di_created_at` integer;