package org.w4r.petition.rest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Up to 1,000 items, each with the caller's own id, answered item by item. {@code kind}: signature, message,
 * action, offline-count, offline-correction; {@code body}: what the item's own endpoint takes (a correction's
 * body also names its {@code offlineCountId}).
 */
public record BatchRequest(List<Item> items) {

    public record Item(String id, String kind, JsonNode body) {
    }
}
