package org.w4r.cases;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests sent all at once (each thread waits on one start latch): can they pass one cap together, or can two edits of
 * one version both be applied?
 */
final class AtOnce {
    private AtOnce() {
    }

    /** How many were answered 201; every other answer must be a 409 problem of type {@code refusal}. */
    static int created(List<HttpRequest> requests, String refusal) throws Exception {
        int created = 0;
        for (HttpResponse<String> r : answers(requests)) {
            if (r.statusCode() == 201) {
                created++;
            } else {
                assertEquals(409, r.statusCode(), r.body());
                assertTrue(r.body().contains(refusal), r.body());
                assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElseThrow());
            }
        }
        return created;
    }

    /** Every request sent at once; their answers, in the requests' order. */
    static List<HttpResponse<String>> answers(List<HttpRequest> requests) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(requests.size());
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (HttpRequest request : requests) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return http.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            start.countDown();
            List<HttpResponse<String>> answered = new ArrayList<>();
            for (Future<HttpResponse<String>> f : answers) {
                answered.add(f.get(2, TimeUnit.MINUTES));
            }
            return answered;
        } finally {
            pool.shutdownNow();
        }
    }
}
