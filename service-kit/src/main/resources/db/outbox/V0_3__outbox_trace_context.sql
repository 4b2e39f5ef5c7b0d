-- The trace context (W3C traceparent and tracestate: ids only) of the request that wrote the row: the relay sends the
-- row later, from its own thread, and sets these as Kafka headers so the consumers continue the request's trace.
-- Null when tracing was off or nothing was traced (a row written before this column existed, a scheduled job).
alter table outbox add column trace_parent text, add column trace_state text;
