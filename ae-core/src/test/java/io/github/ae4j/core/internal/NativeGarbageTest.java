package io.github.ae4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.Test;

/** {@link NativeGarbage}: a collection is asked for once the resident memory grew past the bound, not before. */
class NativeGarbageTest {

    @Test
    void givenResidentMemoryGrowingPastTheBound_whenChecked_thenOneCollectionIsAskedFor() {
        NativeGarbage guard = new NativeGarbage();
        guard.checkNow();   // sets the baseline
        int before = NativeGarbage.collections();
        guard.checkNow();
        assertEquals(before, NativeGarbage.collections(), "no growth, no collection");
        long size = NativeGarbage.BOUND + (64L << 20);
        try (BytePointer p = new BytePointer(size)) {
            for (long i = 0; i < size; i += 4096) {
                p.put(i, (byte) 1);   // touch every page: resident
            }
            guard.checkNow();
            assertEquals(before + 1, NativeGarbage.collections(), "grown past the bound: one collection");
            guard.checkNow();
            assertEquals(before + 1, NativeGarbage.collections(), "the baseline moved to the new level");
        }
    }
}
