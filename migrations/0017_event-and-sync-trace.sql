ALTER TABLE `webhook_events` ADD `traceparent` text;--> statement-breakpoint
ALTER TABLE `webhook_events` ADD `tracestate` text;--> statement-breakpoint
ALTER TABLE `integration_syncs` ADD `traceparent` text;--> statement-breakpoint
ALTER TABLE `integration_syncs` ADD `tracestate` text;