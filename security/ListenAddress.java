import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One {@code --web.listen-address}, as the exporters of the field write it: {@code HOST:PORT}, {@code [IPv6]:PORT},
 * or {@code :PORT} for every interface (then {@link #host()} is null, which is how Jetty says it).
 */
record ListenAddress(String host, int port) {
    static ListenAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("listen address '" + text + "' is not HOST:PORT or :PORT");
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("listen address '" + text + "': write an IPv6 address in brackets, "
                    + "[" + host + "]:" + portText);
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen address '" + text + "': the port must be 0 to 65535");
        }
        return new ListenAddress(host.isEmpty() ? null : host, port);
    }

    /** A connector for this address: HTTPS through {@code tls}, or plain HTTP when {@code tls} is null. */
    ServerConnector connector(Server server, HttpConfiguration http, TlsSetup tls) {
        if (tls != null) {
            return tls.connector(server, http, this);
        }
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    @Override
    public String toString() {
        return (host == null ? "" : host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
