package io.teachtrack.operator.testing.pods;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The checks the kubelet would run for the pods' readiness probes, against the processes' pod IPs. */
final class Probes {

    private static final int TIMEOUT_MILLIS = 800;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(TIMEOUT_MILLIS)).build();

    private Probes() {
    }

    /** As {@code mariadb-admin ping}: the server accepts a connection and greets (whoever logs in). */
    static boolean mysqlGreets(String ip, int port) {
        try (Socket socket = connect(ip, port); InputStream in = socket.getInputStream()) {
            return in.read() >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** As {@code redis-cli ping}. */
    static boolean redisPongs(String ip, int port) {
        try (Socket socket = connect(ip, port)) {
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = socket.getInputStream().readNBytes(5);
            return "+PONG".equals(new String(reply, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    /** An httpGet probe: any 2xx or 3xx. */
    static boolean httpOk(String ip, int port, String path) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + path))
                    .timeout(Duration.ofMillis(TIMEOUT_MILLIS)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() >= 200 && response.statusCode() < 400;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Socket connect(String ip, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(ip, port), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return socket;
    }
}
