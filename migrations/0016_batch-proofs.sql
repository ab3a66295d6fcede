ALTER TABLE `batches` ADD `proofs_done_at` integer;--> statement-breakpoint
CREATE INDEX `batches_proofs_pending_idx` ON `batches` (`completed_at`) WHERE proofs_done_at IS NULL;