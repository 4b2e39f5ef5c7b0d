package org.w4r.testsupport.contract;

import com.sun.net.httpserver.HttpServer;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract filter fails a test when the answer breaks the served document, and when an accepted request is one the
 * document forbids; a refused request is not held against the document. A small server plays the service: its
 * document declares {@code POST /api/v1/things} (a body with a required two-letter 'country', answered 202) and
 * nothing else; what it answers is set per test.
 */
class ContractFilterTest {
    static final String DOCUMENT = """
            {"openapi":"3.0.3","info":{"title":"t","version":"1"},
             "paths":{"/api/v1/things":{"post":{
               "requestBody":{"required":true,"content":{"application/json":{"schema":{"type":"object",
                 "required":["country"],"properties":{"country":{"type":"string","pattern":"^[A-Z]{2}$"}}}}}},
               "responses":{
                 "202":{"description":"taken","content":{"application/json":{"schema":{"type":"object",
                   "required":["id"],"properties":{"id":{"type":"string"}}}}}},
                 "400":{"description":"refused","content":{"application/problem+json":{"schema":{"type":"object",
                   "required":["status"],"properties":{"status":{"type":"integer"}}}}}}}}}}}
            """;
    static HttpServer server;
    static volatile int status;
    static volatile String type;
    static volatile String body;
    static final ContractFilter FILTER = new ContractFilter();

    @BeforeAll
    static void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/q/openapi", exchange -> answer(exchange, 200, "application/json", DOCUMENT));
        server.createContext("/api/", exchange -> answer(exchange, status, type, body));
        server.start();
        FILTER.application(ContractFilterTest.class.getName());
    }

    static void answer(com.sun.net.httpserver.HttpExchange exchange, int code, String contentType, String text) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    static void post(String json) {
        RestAssured.given().filter(FILTER).port(server.getAddress().getPort()).contentType(ContentType.JSON).body(json)
                .post("/api/v1/things");
    }

    static void answers(int code, String contentType, String text) {
        status = code;
        type = contentType;
        body = text;
    }

    @Test
    void aDocumentedExchangePasses() {
        answers(202, "application/json", "{\"id\":\"a1\"}");
        post("{\"country\":\"MM\"}");
    }

    @Test
    void anUndocumentedStatusFails() {
        answers(200, "application/json", "{\"id\":\"a1\"}");
        AssertionError e = assertThrows(AssertionError.class, () -> post("{\"country\":\"MM\"}"));
        assertTrue(e.getMessage().contains("200"), e.getMessage());
    }

    @Test
    void anAnswerOffItsSchemaFails() {
        answers(202, "application/json", "{\"id\":null}");
        assertThrows(AssertionError.class, () -> post("{\"country\":\"MM\"}"));
    }

    @Test
    void anErrorThatIsNotAProblemDocumentFails() {
        answers(400, "text/plain", "no");
        assertThrows(AssertionError.class, () -> post("{\"country\":\"mm\"}"));
    }

    @Test
    void anAcceptedRequestTheDocumentForbidsFails() {
        answers(202, "application/json", "{\"id\":\"a1\"}");
        AssertionError e = assertThrows(AssertionError.class, () -> post("{\"country\":\"mm\"}"));
        assertTrue(e.getMessage().contains("REQUEST"), e.getMessage());
    }

    @Test
    void aRefusedRequestIsNotHeldAgainstTheDocument() {
        answers(400, "application/problem+json", "{\"status\":400}");
        post("{\"country\":\"mm\"}");
    }
}
