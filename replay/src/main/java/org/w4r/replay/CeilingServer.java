package org.w4r.replay;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The ceiling: the least an ingest endpoint can do on this machine. It reads the request, produces one record to
 * the same broker as the platform (acks=all, idempotent, linger 2 ms as the services' publisher) and answers 202
 * after the ack. No authentication, validation, database or outbox: what is left of our latency and throughput
 * beside it is what the platform's own work costs.
 */
final class CeilingServer implements AutoCloseable {
    static final String TOPIC = "bench-ceiling";
    private static final byte[] ANSWER = "{\"status\":\"accepted\"}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final KafkaProducer<String, byte[]> producer;
    private final ExecutorService workers;
    private final String bootstrap;

    CeilingServer(String bootstrap) throws Exception {
        this.bootstrap = bootstrap;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            if (!admin.listTopics().names().get().contains(TOPIC)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1))).all().get();
            }
        }
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        config.put("acks", "all");
        config.put("enable.idempotence", "true");
        config.put("linger.ms", "2");
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        workers = Executors.newFixedThreadPool(256); // the handler blocks on the ack, as the platform's request does
        server.setExecutor(workers);
        server.createContext("/ingest", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                producer.send(new ProducerRecord<>(TOPIC, UUID.randomUUID().toString(), body)).get();
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(202, ANSWER.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(ANSWER);
                }
            } catch (Exception e) {
                exchange.sendResponseHeaders(503, -1);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/ingest";
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        workers.shutdownNow();
        producer.close();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.deleteTopics(List.of(TOPIC)).all().get(); // leave the broker as we found it
        } catch (Exception e) {
            throw new IOException("could not delete topic " + TOPIC, e);
        }
    }
}
