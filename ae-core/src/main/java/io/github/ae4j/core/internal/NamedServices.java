package io.github.ae4j.core.internal;

import java.util.Iterator;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The plugin registries' one way of finding named {@link ServiceLoader} providers (architectures, losses): every
 * provider on the given class loaders, by name, in name order. A provider that cannot be loaded and two different
 * classes claiming one name are errors that say so; the same class seen through two loaders is one provider.
 */
public final class NamedServices {

    private NamedServices() {
    }

    /**
     * Loads the providers.
     *
     * @param type    the service interface
     * @param name    a provider's name
     * @param what    what a provider is, for messages (e.g. {@code "loss plugin"})
     * @param loaders the class loaders to search, in order (the first provider of a name wins)
     * @param <T>     the service type
     * @return providers by name
     * @throws IllegalStateException when a provider cannot be loaded or two classes share a name
     */
    public static <T> Map<String, T> byName(Class<T> type, Function<T, String> name, String what,
                                            Iterable<ClassLoader> loaders) {
        Map<String, T> byName = new TreeMap<>();
        for (ClassLoader cl : loaders) {
            Iterator<T> it = ServiceLoader.load(type, cl).iterator();
            while (true) {
                T p;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    p = it.next();
                } catch (ServiceConfigurationError e) {
                    throw new IllegalStateException(("aeiou".indexOf(what.charAt(0)) >= 0 ? "an " : "a ") + what
                            + " on the class path cannot be loaded: "
                            + e.getMessage(), e);
                }
                String n = name.apply(p);
                T old = byName.putIfAbsent(n, p);
                if (old != null && !old.getClass().getName().equals(p.getClass().getName())) {
                    throw new IllegalStateException("two " + what + "s are named '" + n + "': "
                            + old.getClass().getName() + " and " + p.getClass().getName());
                }
            }
        }
        return byName;
    }
}
