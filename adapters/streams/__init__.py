"""Events over Redis Streams: the relay that publishes the event log's step events, and the
workers that take them in consumer groups."""
