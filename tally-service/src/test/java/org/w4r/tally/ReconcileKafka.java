package org.w4r.tally;

import org.w4r.testsupport.KafkaBroker;
import org.w4r.testsupport.TcpProxy;

import javax.management.JMException;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import java.lang.management.ManagementFactory;

/**
 * A {@link TcpProxy} in front of the test broker, the only way the reconcile's consumer reaches Kafka in
 * {@link ReconcileOutageTest}: paused, it is a broker that accepts connections and never answers. Only the bootstrap
 * goes through it (the broker then names its own address), so a consumer made while it is paused cannot start, and
 * nothing else of the service is touched. The test profile and the test class are loaded by different class loaders,
 * so the one proxy lives in the platform MBean server, as test-support's {@code ProxiedDatabase} keeps its own.
 */
public final class ReconcileKafka {
    /** What the test does to the proxy (JDK types only: each class loader sees its own copy of this interface). */
    public interface Control {
        void pause();

        void resume();

        int getPort();

        /** The broker it forwards to. */
        String getTarget();
    }

    public static final class Proxy implements Control {
        private final TcpProxy proxy;
        private final String target;

        Proxy(TcpProxy proxy, String target) {
            this.proxy = proxy;
            this.target = target;
        }

        @Override
        public void pause() {
            proxy.pause();
        }

        @Override
        public void resume() {
            proxy.resume();
        }

        @Override
        public int getPort() {
            return proxy.port();
        }

        @Override
        public String getTarget() {
            return target;
        }
    }

    private ReconcileKafka() {
    }

    /** The proxy in front of this class loader's broker, made on the first call, from any class loader. */
    public static Control proxy() {
        String broker = KafkaBroker.bootstrapServers();
        int colon = broker.lastIndexOf(':');
        try {
            MBeanServer beans = ManagementFactory.getPlatformMBeanServer();
            // each application the tests start brings a broker of its own: one proxy per broker
            ObjectName name = new ObjectName("org.w4r.test:type=TcpProxy,name=reconcile-kafka,broker="
                    + ObjectName.quote(broker));
            synchronized (MBeanServer.class) { // one lock every class loader sees
                if (!beans.isRegistered(name)) {
                    TcpProxy proxy = new TcpProxy(broker.substring(0, colon),
                            Integer.parseInt(broker.substring(colon + 1)));
                    beans.registerMBean(new StandardMBean(new Proxy(proxy, broker), Control.class), name);
                }
            }
            return JMX.newMBeanProxy(beans, name, Control.class);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }
}
