package org.w4r.replay;

/** Where the services answer (./platform's ports by default). */
public record Endpoints(String petition, String tally, String cases) {
    public static Endpoints local() {
        return new Endpoints("http://localhost:8081", "http://localhost:8080", "http://localhost:8082");
    }
}
