<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>CommandLine</name>
    <message>
        <source>ChatPort: chat with the people on your local network. One person hosts; everyone else joins with the host&apos;s address. Without options, a start dialog asks what to do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Examples:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host a chat on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join the chat hosted at &lt;address&gt;, optionally with :&lt;port&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>address[:port]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port to host on (0 picks a free one) or to join (default %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your nickname in the chat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nickname</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How much to log: trace, debug, info, warn, error, critical or off (default info).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run “chatport --help” to see how to use it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown log level “%1”. Use trace, debug, info, warn, error, critical or off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose either --host or --join, not both.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1 goes with --host or --join.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--bind goes with --host only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give your nickname with --name, for example --name Ann.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--name: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--port: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--bind: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--join: the port after the colon must be a number from 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--join: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port is given twice (%1 and %2); give it once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where ChatPort keeps this computer&apos;s key and the hosts it has met (default: the system&apos;s folder for application data).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--data-dir needs a folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host: listen on this address only (default: every address, IPv6 and IPv4; 0.0.0.0 for IPv4 only).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EventText</name>
    <message>
        <source>Port %1 is already in use on this computer, perhaps by another chat. Choose another port, or close the program that is using it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ChatPort can&apos;t host on port %1 here. Choose a port from 1024 to 65535, and leave the listening address empty unless it belongs to this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody is hosting a chat at %1. Check the address and the port, and that the host has started hosting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Can&apos;t reach %1. Check the address, and that this computer and the host are on the same network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 did not answer. Check the address; a firewall on the host may be blocking port %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone in this chat is already called “%1”. Choose another nickname and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The nickname “%1” can&apos;t be used. Choose another one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host runs a different version of ChatPort. Use the same version on both computers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chat is full: the host accepts nobody else right now. Try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host ended the chat. You can join again once they host again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host removed you from the chat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You were disconnected because your connection could not keep up with the chat. Check your network, then join again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are sending messages too fast, so the last one was not sent. Wait a moment and send it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That message contains characters that can&apos;t be sent. Remove them and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That person is no longer in the chat, so the private message was not sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the host can do that.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are not connected, so that was not sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The other side sent something ChatPort does not understand, so the connection was closed. Make sure both computers run the same version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the host was lost. Check your network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection was lost. Check your network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 joined the chat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>This window fell behind: %n join or leave notice(s) were skipped.</source>
        <translation>
            <numerusform>This window fell behind: %n join or leave notice was skipped.</numerusform>
            <numerusform>This window fell behind: %n join or leave notices were skipped.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This window fell behind: %n message(s) were skipped.</source>
        <translation>
            <numerusform>This window fell behind: %n message was skipped.</numerusform>
            <numerusform>This window fell behind: %n messages were skipped.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This window fell behind: %n message(s) and some join or leave notices were skipped.</source>
        <translation>
            <numerusform>This window fell behind: %n message and some join or leave notices were skipped.</numerusform>
            <numerusform>This window fell behind: %n messages and some join or leave notices were skipped.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 left the chat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 stopped responding and was disconnected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was removed by the host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was disconnected by a connection error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was disconnected for not keeping up with the chat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is now called %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are now called %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You removed %1 from the chat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are hosting on port %1. Others on your network can join with this computer&apos;s address and that port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are hosting. Others can join at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> or </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You joined the chat at %1 as %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You ended the chat. Everyone was told.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You left the chat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the chat on a free port…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the chat on port %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lost the host. Reconnecting now (attempt %1)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Lost the host. Reconnecting in %n s (attempt %1)…</source>
        <translation>
            <numerusform>Lost the host. Reconnecting in %n s (attempt %1)…</numerusform>
            <numerusform>Lost the host. Reconnecting in %n s (attempt %1)…</numerusform>
        </translation>
    </message>
    <message>
        <source>Not started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Reconnecting in %n s</source>
        <translation>
            <numerusform>Reconnecting in %n s</numerusform>
            <numerusform>Reconnecting in %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joiner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a message. Enter sends, Shift+Enter starts a new line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You can write once you are connected…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected: waiting to reconnect to the host…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected: you can&apos;t send messages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) said while you were disconnected could not be recovered.</source>
        <translation>
            <numerusform>%n message said while you were disconnected could not be recovered.</numerusform>
            <numerusform>%n messages said while you were disconnected could not be recovered.</numerusform>
        </translation>
    </message>
    <message>
        <source>That message is too long to send (at most 60 KB). Split it into shorter messages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password is wrong. Ask the host for the room&apos;s password and join again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This room has a password. Enter it and join again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host at %1 shows a different key from the one it had before. Someone may be posing as it. Compare the fingerprints with the host before accepting the new key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host has banned you from this room.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The secure connection to %1 could not be set up: the data was altered on the way, or the other side is not ChatPort.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ChatPort can&apos;t use its data folder, where it keeps its key. Check that the folder can be written, or choose another with --data-dir.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You removed %1 from the chat and banned them from this room.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First contact with the host at %1: ChatPort will remember its key, fingerprint %2. Ask the host which fingerprint their ChatPort shows: if it is this one, nobody is in between.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You chose to trust the new key of the host at %1, fingerprint %2. Joining again…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host removed you from the chat because you sent messages too fast. You can join again; send fewer messages at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was removed for sending messages too fast.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is not the room that was announced: the computer at %1 answered with another key. Someone on the network may be posing as it. Join by address if you trust this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port %1 is in use on this computer, so the room is on port %2. Joiners on this network find it anyway; anyone joining by address needs port %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ChatPort can&apos;t open its history in its data folder, so this chat will not be kept. Everything else works; see the log for why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earlier in this room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New messages from here on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ChatPort can&apos;t read that file or folder, so it was not offered. Check that it still exists and that you may open it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is larger than the host allows in this room, so it was not offered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The room has as many transfers running as its host allows. Try again when one has finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That transfer is no longer there: it finished, or the other side ended it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>They declined it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You declined it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You cancelled it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>They cancelled it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sender cancelled it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>They left the chat before it arrived.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sender left the chat before it arrived.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What arrived was not what was sent, so nothing was kept. Try sending it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is larger than the host allows in this room.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The room had as many transfers running as its host allows. Try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>They could not save it (their disk may be full).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ChatPort could not save it there. Check the free space and that you may write to that folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ChatPort could not read it any more: it was moved, changed or removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sender could no longer read it: it was moved, changed or removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chat ended before it arrived.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The other side broke the rules of sending files, so it was stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It did not arrive.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n s</source>
        <translation>
            <numerusform>%n s</numerusform>
            <numerusform>%n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>about %n min</source>
        <translation>
            <numerusform>about %n min</numerusform>
            <numerusform>about %n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>about %n h</source>
        <translation>
            <numerusform>about %n h</numerusform>
            <numerusform>about %n h</numerusform>
        </translation>
    </message>
    <message>
        <source>days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 may now send without a rate limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is under the room&apos;s rate limit again (%2 messages a second, %3 at once).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host lifted your rate limit: you may send as fast as you like.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host put your rate limit back: %1 messages a second, %2 at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your picture was not changed: a picture is a PNG or JPEG of at most 16 KiB, changed a few times a minute at most. Try again in a minute.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ChatPort can&apos;t keep this room&apos;s bans and lifted rate limits in its data folder, so they will last only until the chat ends. Check that the folder can be written; the log says why.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InputChecks</name>
    <message>
        <source>Enter a nickname.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A nickname can&apos;t be only spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A nickname can&apos;t contain tabs, line breaks or other control characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A nickname can have at most %1 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This nickname can&apos;t be used. Choose another one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a port number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port must be a number from 0 to 65535 (0 picks a free one).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port must be a number from 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the host&apos;s address, for example 192.168.1.20.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put the port in the port field, or write the address as host:port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not an address or a computer name. Use something like 192.168.1.20 or my-laptop.local.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NameBadge</name>
    <message>
        <source>host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host runs this chat. Only the host gets this badge; no name can show it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is you.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::BannedPeopleMenu</name>
    <message>
        <source>&amp;Banned people</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let %1 join again (banned %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key fingerprint: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let %1 (key %2…) join again (banned %3)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::ChatLogDelegate</name>
    <message>
        <source>you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(private)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New messages</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::ChatLogModel</name>
    <message>
        <source>[%1] %2 → %3 (private): %4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::ChatLogView</name>
    <message>
        <source>Chat messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>↓ %n new message(s)</source>
        <translation>
            <numerusform>↓ %n new message</numerusform>
            <numerusform>↓ %n new messages</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy message &amp;text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;link address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Jump to latest</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::ChatWindow</name>
    <message>
        <source>&amp;Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send your messages to everyone again (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change &amp;nickname…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;End the chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Leave the chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Jump to latest message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear the log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About ChatPort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About ChatPort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;ChatPort %1&lt;/h3&gt;&lt;p&gt;Chat with the people on your local network: one person hosts, everyone else joins.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New nickname:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change nickname</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private message to &lt;b&gt;%1&lt;/b&gt;: only they will see it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write to %1 privately. Enter sends, Esc goes back to everyone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — hosting on port %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — hosting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; left — your message will not be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If %1 comes back in the same session, your message goes to them. Go back to everyone to write to the whole chat instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; is not in this chat — your message will not be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click a name in the list to write to that person, or go back to everyone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 left: nothing is sent. Esc goes back to everyone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not in this chat: nothing is sent. Esc goes back to everyone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose another nickname…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove %1 from the chat and ban them?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove and &amp;ban</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove %1 from the chat?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>They can join again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the log?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The messages shown here are removed from this window; nobody else&apos;s is changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End the chat for everyone?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>You are hosting: %n other person(s) will be disconnected.</source>
        <translation>
            <numerusform>You are hosting: %n other person will be disconnected.</numerusform>
            <numerusform>You are hosting: %n other people will be disconnected.</numerusform>
        </translation>
    </message>
    <message>
        <source>ChatPort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Don&apos;t ask again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;session…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;History…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find in history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>your room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a file or a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send &amp;file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send f&amp;older…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Transfers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send this image to everyone?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send this image to %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 × %2 pixels, sent as a PNG file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ChatPort could not save the pasted image to send it: the temporary folder can&apos;t be written to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offers a folder to everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offers a file to everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offers %1 a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offers %1 a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>someone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offers you a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offers you a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for an answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for your answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save “%1” in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is already in that folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace it with the one you receive, or keep both (the new one gets a number)?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Replace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep both</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted: it will be saved in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Insert an emoji (Ctrl+E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Insert an emoji</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file transfer(s) will stop; a file being received is kept only once it is whole.</source>
        <translation>
            <numerusform>%n file transfer will stop; a file being received is kept only once it is whole.</numerusform>
            <numerusform>%n file transfers will stop; a file being received is kept only once it is whole.</numerusform>
        </translation>
    </message>
    <message>
        <source>Stop the file transfers?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Leave anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your &amp;picture…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove your pictu&amp;re</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.gif *.bmp *.webp)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be used as a picture: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This image cannot be made small enough to send.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>They can&apos;t join this room again, even after a restart, until you let them (Chat ▸ Banned people).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 may join this room again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taken up where it stopped</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::ClientListModel</name>
    <message>
        <source>%1 (host, you)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (host)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (you)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click to send %1 a private message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is you, the host of this chat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host of this chat. Double-click to send “%1” a private message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Away</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Busy: notifications off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::ClientListView</name>
    <message>
        <source>People in the chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a &amp;private message to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove %1 from the chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove and &amp;ban %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No rate &amp;limit for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 may send as fast as they like (a bot, say), even after reconnecting, while this room lasts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 can&apos;t join this room again under any name, until you let them.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::ConnectionBanner</name>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose another nickname, address or port</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::HistoryContextDialog</name>
    <message>
        <source>In context — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was said around the message found, which is marked:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::HistoryDialog</name>
    <message>
        <source>&amp;Keep the history of the rooms you are in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xport this room…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete this room&apos;s history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete &amp;all history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes effect from the next chat you host or join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>forever</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When you host, each person who joins is shown this many of the room&apos;s latest messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keeping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep &amp;messages for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Newcomers see:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored history — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History is not available: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not in a room that keeps history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The messages are erased from this computer; this cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the history of %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This room&apos;s history is deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the history of every room?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All history is deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text (*.txt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export this room&apos;s history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) exported to %1.</source>
        <translation>
            <numerusform>%n message exported to %1.</numerusform>
            <numerusform>%n messages exported to %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Use at most:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::HistorySearchBar</name>
    <message>
        <source>&amp;All rooms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search the history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search every room this computer has kept history of, not only this one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the search (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter or double-click shows the message in context</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History search is not available: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing found for “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The newest %n messages found; add words to narrow the search.</source>
        <translation>
            <numerusform>The newest %n message found; add words to narrow the search.</numerusform>
            <numerusform>The newest %n messages found; add words to narrow the search.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) found. Enter or double-click one to see it in context.</source>
        <translation>
            <numerusform>%n message found. Enter or double-click it to see it in context.</numerusform>
            <numerusform>%n messages found. Enter or double-click one to see it in context.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>chatport::ui::HostKeyDialog</name>
    <message>
        <source>The host&apos;s key has changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host at %1 shows a different key from the one it showed before.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remembered:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown now:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This happens when the host has reinstalled ChatPort or lost its data folder — or when another computer on the network is posing as the host, to read what is said.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the host, face to face or by phone, which fingerprint their ChatPort shows in its status bar. Join only if it is the one shown now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join anyway and trust the new key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::InterfacesDialog</name>
    <message>
        <source>&amp;Automatic: every network this computer is on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Only the interfaces ticked below</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network interfaces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rooms are announced and looked for on these network interfaces. Those marked “automatic” are used unless you choose others.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (not present now)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this computer only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>virtual</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick at least one interface, or choose Automatic.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::MessageInput</name>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::PresenceControl</name>
    <message>
        <source>S&amp;tatus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;way</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Busy: no notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Away after &amp;idle time</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) without input</source>
        <translation>
            <numerusform>%n minute without input</numerusform>
            <numerusform>%n minutes without input</numerusform>
        </translation>
    </message>
    <message>
        <source>Never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your status, as everyone sees it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Away</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Busy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your status: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::RoomListModel</name>
    <message>
        <source>Hosted by %1 at %2
Host&apos;s key: %3%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs the room&apos;s password</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1, %n people, %2</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>needs a password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last joined just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>last joined %n minute(s) ago</source>
        <translation>
            <numerusform>last joined %n minute ago</numerusform>
            <numerusform>last joined %n minutes ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>last joined %n hour(s) ago</source>
        <translation>
            <numerusform>last joined %n hour ago</numerusform>
            <numerusform>last joined %n hours ago</numerusform>
        </translation>
    </message>
    <message>
        <source>last joined yesterday</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>last joined %n day(s) ago</source>
        <translation>
            <numerusform>last joined %n day ago</numerusform>
            <numerusform>last joined %n days ago</numerusform>
        </translation>
    </message>
    <message>
        <source>last joined on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · not found now, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joined before (%1), not heard on the network now: it may be off, or beyond what ChatPort can hear. Double-click to try to join it at %2.
Host&apos;s key: %3
Delete forgets it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, not found now, %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::SessionStatusBar</name>
    <message>
        <source>Address and port of the chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n connected</source>
        <translation>
            <numerusform>%n connected</numerusform>
            <numerusform>%n connected</numerusform>
        </translation>
    </message>
    <message>
        <source>Encrypted: what is said in this chat can be read only by those in it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The room has a password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This host&apos;s key fingerprint. Joiners see the host&apos;s fingerprint when they join: if theirs is this one, they reached you and nobody is in between. Read it out to them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host&apos;s key fingerprint. Ask the host which fingerprint their ChatPort shows: if it is this one, nobody is in between.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your key&apos;s fingerprint: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host&apos;s key fingerprint: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::StartDialog</name>
    <message>
        <source>&amp;Host a chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start ChatPort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How others will see you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Nickname:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a chat on this computer; others join it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join a chat someone on your network is hosting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port others connect to. 0 picks a free one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Others join at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 192.168.1.20 or my-laptop.local</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host &amp;address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start hosting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer is not on a network right now; only programs on it can join (127.0.0.1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(the port is shown once the chat has started)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sho&amp;w</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the password as it is typed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Room password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional: joiners will need it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only if the room has one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave it empty for a room anyone on the network can join. With a password, only those who know it can join.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password the host gave the room, if it has one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join a &amp;chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat with people on your network. One person hosts; everyone else joins: pick the room from the list, or type the host&apos;s address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roo&amp;ms on your network:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for rooms… None found yet. A room on another network: type its host&apos;s address below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rooms hosted on your network, and those you joined before (greyed while not found). Double-click one to join it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Forget This Room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network &amp;interfaces…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the networks to look for rooms on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;dd address or subnet…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look for rooms at an address or in a subnet that the network does not reach by itself (another subnet, a VPN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 10.0.5.7, 10.0.5.7:5150 or 10.0.5.0/24</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Look there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The room could not be forgotten: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loo&amp;k at:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::TransferListModel</name>
    <message>
        <source>Waiting for them to accept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting to start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::TransferPanel</name>
    <message>
        <source>Transfers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lear finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::UnreadNotifier</name>
    <message>
        <source>Private message from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message from %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>chatport::ui::WrongRoomDialog</name>
    <message>
        <source>Not the room announced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is not the room that was announced.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The computer at %1 answered with another key than the one the room announced. Someone on the network may be posing as the room.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Announced:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answered with:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If you trust this computer, join it by typing its address instead of picking the room from the list.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>ChatPort could not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
