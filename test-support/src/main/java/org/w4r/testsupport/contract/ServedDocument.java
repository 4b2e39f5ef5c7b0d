package org.w4r.testsupport.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The OpenAPI document the application under test serves, as JSON. */
final class ServedDocument {
    private ServedDocument() {
    }

    static String fetch(URI any) {
        URI document = URI.create(any.getScheme() + "://" + any.getHost() + ":" + any.getPort() + "/q/openapi?format=json");
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(document).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError(document + " answered " + response.statusCode() + ": the contract cannot be checked");
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
