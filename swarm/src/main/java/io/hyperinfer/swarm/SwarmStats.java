package io.hyperinfer.swarm;

/**
 * The swarm's counters (JS {@code swarm.stats}): client connects attempted, opened and closed; server connections
 * opened and closed; peers banned; duplicates closed (ours).
 */
public record SwarmStats(long clientAttempted, long clientOpened, long clientClosed, long serverOpened,
    long serverClosed, long bannedPeers, long duplicatesClosed) {}
