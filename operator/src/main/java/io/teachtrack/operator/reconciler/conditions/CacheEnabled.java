package io.teachtrack.operator.reconciler.conditions;

import io.teachtrack.operator.api.v1alpha1.TeachTrackSpec;

/** Redis exists only while the cache is on; turning it off removes Redis. */
public class CacheEnabled extends SpecCondition {

    @Override
    protected boolean holds(TeachTrackSpec spec) {
        return Boolean.TRUE.equals(spec.getApi().getCache().getEnabled());
    }
}
