package org.w4r.replay;

/** One row or column total of the case × entity matrix: a case (or "no case") or an entity, and its actions. */
public record Marginal(String id, String name, long total) {
}
