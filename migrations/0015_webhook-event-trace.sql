ALTER TABLE `webhook_events` ADD `traceparent` text;--> statement-breakpoint
ALTER TABLE `webhook_events` ADD `tracestate` text;