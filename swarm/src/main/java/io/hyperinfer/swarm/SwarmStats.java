package io.hyperinfer.swarm;

/**
 * The swarm's counters (JS {@code swarm.stats}): client connects attempted, opened and closed; server connections
 * opened and closed; peers banned; and ours: duplicates closed, network changes handled (each sent keep-alives and
 * refreshed the topics).
 */
public record SwarmStats(long clientAttempted, long clientOpened, long clientClosed, long serverOpened,
    long serverClosed, long bannedPeers, long duplicatesClosed, long networkChanges) {}
