// The same package in a browser program (DOM library on): the browser's own WebSocket class and
// Blob fit the options and send() as they are.
import { Switchboard } from "switchboard-client";

const socket = new Switchboard(`ws://${location.host}/ws/echo`, { WebSocket, binaryType: "arraybuffer" });
socket.send(new Blob(["bytes"]));
socket.on("message", (data, event) => console.log(data, event.data));
