package io.teachtrack.operator.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A Redis client of one command, in the protocol's inline form: what anyone who reaches the port could send. */
public final class RedisProbe {

    private RedisProbe() {
    }

    /** PING, after AUTH when {@code password} is given: the answer to the PING, or to a refused AUTH. */
    public static String ping(String host, int port, String password) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            if (password != null) {
                out.write(("AUTH " + password + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String auth = in.readLine();
                if (!"+OK".equals(auth)) {
                    return auth;
                }
            }
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return in.readLine();
        }
    }
}
