<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CommandLine</name>
    <message>
        <source>ChatPort: chat with the people on your local network. One person hosts; everyone else joins with the host&apos;s address. Without options, a start dialog asks what to do.</source>
        <translation>ChatPort：与局域网中的人聊天。一人主持，其他人用主持人的地址加入。不带选项运行时，会打开启动对话框询问要做什么。</translation>
    </message>
    <message>
        <source>Examples:</source>
        <translation>示例：</translation>
    </message>
    <message>
        <source>Host a chat on this computer.</source>
        <translation>在这台电脑上主持聊天。</translation>
    </message>
    <message>
        <source>Join the chat hosted at &lt;address&gt;, optionally with :&lt;port&gt;.</source>
        <translation>加入在 &lt;地址&gt; 主持的聊天，可附带 :&lt;端口&gt;。</translation>
    </message>
    <message>
        <source>address[:port]</source>
        <translation>地址[:端口]</translation>
    </message>
    <message>
        <source>The port to host on (0 picks a free one) or to join (default %1).</source>
        <translation>主持或加入所用的端口（主持时 0 表示自动选择空闲端口；默认 %1）。</translation>
    </message>
    <message>
        <source>port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Your nickname in the chat.</source>
        <translation>你在聊天中的昵称。</translation>
    </message>
    <message>
        <source>nickname</source>
        <translation>昵称</translation>
    </message>
    <message>
        <source>How much to log: trace, debug, info, warn, error, critical or off (default info).</source>
        <translation>日志详细程度：trace、debug、info、warn、error、critical 或 off（默认 info）。</translation>
    </message>
    <message>
        <source>level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Run “chatport --help” to see how to use it.</source>
        <translation>运行“chatport --help”查看用法。</translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation>无法识别的参数：%1</translation>
    </message>
    <message>
        <source>Unknown log level “%1”. Use trace, debug, info, warn, error, critical or off.</source>
        <translation>未知的日志级别“%1”。请使用 trace、debug、info、warn、error、critical 或 off。</translation>
    </message>
    <message>
        <source>Choose either --host or --join, not both.</source>
        <translation>请在 --host 和 --join 中选择一个，不能同时使用。</translation>
    </message>
    <message>
        <source>--%1 goes with --host or --join.</source>
        <translation>--%1 需要与 --host 或 --join 一起使用。</translation>
    </message>
    <message>
        <source>--bind goes with --host only.</source>
        <translation>--bind 只能与 --host 一起使用。</translation>
    </message>
    <message>
        <source>Give your nickname with --name, for example --name Ann.</source>
        <translation>请用 --name 指定你的昵称，例如 --name 小明。</translation>
    </message>
    <message>
        <source>--name: %1</source>
        <translation>--name：%1</translation>
    </message>
    <message>
        <source>--port: %1</source>
        <translation>--port：%1</translation>
    </message>
    <message>
        <source>--bind: %1</source>
        <translation>--bind：%1</translation>
    </message>
    <message>
        <source>--join: the port after the colon must be a number from 1 to 65535.</source>
        <translation>--join：冒号后的端口必须是 1 到 65535 之间的数字。</translation>
    </message>
    <message>
        <source>--join: %1</source>
        <translation>--join：%1</translation>
    </message>
    <message>
        <source>The port is given twice (%1 and %2); give it once.</source>
        <translation>端口指定了两次（%1 和 %2），请只指定一次。</translation>
    </message>
    <message>
        <source>Where ChatPort keeps this computer&apos;s key and the hosts it has met (default: the system&apos;s folder for application data).</source>
        <translation>ChatPort 存放本机密钥和已连接过的主持人的文件夹（默认：系统的应用数据文件夹）。</translation>
    </message>
    <message>
        <source>folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>--data-dir needs a folder.</source>
        <translation>--data-dir 需要指定一个文件夹。</translation>
    </message>
    <message>
        <source>Host: listen on this address only (default: every address, IPv6 and IPv4; 0.0.0.0 for IPv4 only).</source>
        <translation>主持：只在这个地址上监听（默认：所有地址，IPv6 和 IPv4；0.0.0.0 表示只用 IPv4）。</translation>
    </message>
</context>
<context>
    <name>EventText</name>
    <message>
        <source>Port %1 is already in use on this computer, perhaps by another chat. Choose another port, or close the program that is using it.</source>
        <translation>端口 %1 已被这台电脑上的其他程序（可能是另一个聊天）占用。请换一个端口，或关闭占用它的程序。</translation>
    </message>
    <message>
        <source>ChatPort can&apos;t host on port %1 here. Choose a port from 1024 to 65535, and leave the listening address empty unless it belongs to this computer.</source>
        <translation>ChatPort 无法在这里使用端口 %1 主持聊天。请选择 1024 到 65535 之间的端口；除非监听地址属于这台电脑，否则请留空。</translation>
    </message>
    <message>
        <source>Nobody is hosting a chat at %1. Check the address and the port, and that the host has started hosting.</source>
        <translation>%1 上没有人在主持聊天。请检查地址和端口，并确认主持人已经开始主持。</translation>
    </message>
    <message>
        <source>Can&apos;t reach %1. Check the address, and that this computer and the host are on the same network.</source>
        <translation>无法连接到 %1。请检查地址，并确认这台电脑和主持人在同一个网络中。</translation>
    </message>
    <message>
        <source>%1 did not answer. Check the address; a firewall on the host may be blocking port %2.</source>
        <translation>%1 没有响应。请检查地址；主持人电脑上的防火墙可能拦截了端口 %2。</translation>
    </message>
    <message>
        <source>Someone in this chat is already called “%1”. Choose another nickname and try again.</source>
        <translation>聊天中已经有人叫“%1”了。请换一个昵称再试。</translation>
    </message>
    <message>
        <source>The nickname “%1” can&apos;t be used. Choose another one.</source>
        <translation>昵称“%1”不能使用，请换一个。</translation>
    </message>
    <message>
        <source>The host runs a different version of ChatPort. Use the same version on both computers.</source>
        <translation>主持人使用的 ChatPort 版本与你的不同。请在两台电脑上使用相同的版本。</translation>
    </message>
    <message>
        <source>The chat is full: the host accepts nobody else right now. Try again later.</source>
        <translation>聊天人数已满：主持人暂时不再接受新成员。请稍后再试。</translation>
    </message>
    <message>
        <source>The host ended the chat. You can join again once they host again.</source>
        <translation>主持人结束了聊天。等对方重新主持后，你可以再次加入。</translation>
    </message>
    <message>
        <source>The host removed you from the chat.</source>
        <translation>主持人已将你移出聊天。</translation>
    </message>
    <message>
        <source>You were disconnected because your connection could not keep up with the chat. Check your network, then join again.</source>
        <translation>你的连接跟不上聊天的速度，因此被断开。请检查网络后重新加入。</translation>
    </message>
    <message>
        <source>You are sending messages too fast, so the last one was not sent. Wait a moment and send it again.</source>
        <translation>你发送消息太快了，最后一条没有发出。请稍等片刻再发送。</translation>
    </message>
    <message>
        <source>That message contains characters that can&apos;t be sent. Remove them and try again.</source>
        <translation>这条消息包含无法发送的字符。请删除这些字符后重试。</translation>
    </message>
    <message>
        <source>That person is no longer in the chat, so the private message was not sent.</source>
        <translation>对方已不在聊天中，私信没有发出。</translation>
    </message>
    <message>
        <source>Only the host can do that.</source>
        <translation>只有主持人才能这样做。</translation>
    </message>
    <message>
        <source>You are not connected, so that was not sent.</source>
        <translation>你尚未连接，所以没有发出。</translation>
    </message>
    <message>
        <source>The other side sent something ChatPort does not understand, so the connection was closed. Make sure both computers run the same version.</source>
        <translation>对方发送了 ChatPort 无法识别的数据，连接已关闭。请确认两台电脑运行的是相同版本。</translation>
    </message>
    <message>
        <source>The connection to the host was lost. Check your network.</source>
        <translation>与主持人的连接已断开。请检查网络。</translation>
    </message>
    <message>
        <source>The connection was lost. Check your network.</source>
        <translation>连接已断开。请检查网络。</translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation>出了点问题。</translation>
    </message>
    <message>
        <source>%1 joined the chat.</source>
        <translation>%1 加入了聊天。</translation>
    </message>
    <message>
        <source>%1 left the chat.</source>
        <translation>%1 离开了聊天。</translation>
    </message>
    <message>
        <source>%1 stopped responding and was disconnected.</source>
        <translation>%1 已无响应，连接被断开。</translation>
    </message>
    <message>
        <source>%1 was removed by the host.</source>
        <translation>%1 被主持人移出了聊天。</translation>
    </message>
    <message>
        <source>%1 was disconnected by a connection error.</source>
        <translation>%1 因连接错误而断开。</translation>
    </message>
    <message>
        <source>%1 was disconnected for not keeping up with the chat.</source>
        <translation>%1 因跟不上聊天速度而被断开。</translation>
    </message>
    <message>
        <source>%1 is now called %2.</source>
        <translation>%1 改名为 %2。</translation>
    </message>
    <message>
        <source>You are now called %1.</source>
        <translation>你已改名为 %1。</translation>
    </message>
    <message>
        <source>You removed %1 from the chat.</source>
        <translation>你已将 %1 移出聊天。</translation>
    </message>
    <message>
        <source>You are hosting on port %1. Others on your network can join with this computer&apos;s address and that port.</source>
        <translation>你正在端口 %1 上主持聊天。同一网络中的其他人可以用这台电脑的地址和该端口加入。</translation>
    </message>
    <message>
        <source>You are hosting. Others can join at %1.</source>
        <translation>你正在主持聊天。其他人可以通过 %1 加入。</translation>
    </message>
    <message>
        <source> or </source>
        <translation> 或 </translation>
    </message>
    <message>
        <source>You joined the chat at %1 as %2.</source>
        <translation>你已以 %2 的身份加入 %1 的聊天。</translation>
    </message>
    <message>
        <source>You ended the chat. Everyone was told.</source>
        <translation>你结束了聊天，已通知所有人。</translation>
    </message>
    <message>
        <source>You left the chat.</source>
        <translation>你离开了聊天。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Starting the chat on a free port…</source>
        <translation>正在空闲端口上开始聊天…</translation>
    </message>
    <message>
        <source>Starting the chat on port %1…</source>
        <translation>正在端口 %1 上开始聊天…</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <source>Lost the host. Reconnecting now (attempt %1)…</source>
        <translation>与主持人失去连接。正在重新连接（第 %1 次尝试）…</translation>
    </message>
    <message numerus="yes">
        <source>Lost the host. Reconnecting in %n s (attempt %1)…</source>
        <translation>
            <numerusform>与主持人失去连接。%n 秒后重新连接（第 %1 次尝试）…</numerusform>
        </translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message numerus="yes">
        <source>Reconnecting in %n s</source>
        <translation>
            <numerusform>%n 秒后重新连接</numerusform>
        </translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>正在重新连接…</translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation>已断开</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>主持人</translation>
    </message>
    <message>
        <source>Joiner</source>
        <translation>加入者</translation>
    </message>
    <message>
        <source>Write a message. Enter sends, Shift+Enter starts a new line.</source>
        <translation>输入消息。按 Enter 发送，Shift+Enter 换行。</translation>
    </message>
    <message>
        <source>You can write once you are connected…</source>
        <translation>连接后即可输入消息…</translation>
    </message>
    <message>
        <source>Not connected: waiting to reconnect to the host…</source>
        <translation>未连接：正在等待重新连接主持人…</translation>
    </message>
    <message>
        <source>Not connected: you can&apos;t send messages.</source>
        <translation>未连接：无法发送消息。</translation>
    </message>
    <message numerus="yes">
        <source>This window fell behind: %n join or leave notice(s) were skipped.</source>
        <translation>
            <numerusform>此窗口跟不上了：跳过了 %n 条加入或离开通知。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This window fell behind: %n message(s) were skipped.</source>
        <translation>
            <numerusform>此窗口跟不上了：跳过了 %n 条消息。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This window fell behind: %n message(s) and some join or leave notices were skipped.</source>
        <translation>
            <numerusform>此窗口跟不上了：跳过了 %n 条消息和一些加入或离开通知。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) said while you were disconnected could not be recovered.</source>
        <translation>
            <numerusform>断开连接期间的 %n 条消息无法找回。</numerusform>
        </translation>
    </message>
    <message>
        <source>That message is too long to send (at most 60 KB). Split it into shorter messages.</source>
        <translation>这条消息太长，无法发送（最多 60 KB）。请拆分成几条较短的消息。</translation>
    </message>
    <message>
        <source>The password is wrong. Ask the host for the room&apos;s password and join again.</source>
        <translation>密码错误。请向主持人询问聊天室的密码，然后重新加入。</translation>
    </message>
    <message>
        <source>This room has a password. Enter it and join again.</source>
        <translation>这个聊天室设有密码。请输入密码后重新加入。</translation>
    </message>
    <message>
        <source>The host at %1 shows a different key from the one it had before. Someone may be posing as it. Compare the fingerprints with the host before accepting the new key.</source>
        <translation>%1 的主持人出示的密钥与之前的不同，可能有人在冒充它。请先与主持人核对指纹，再接受新的密钥。</translation>
    </message>
    <message>
        <source>The host has banned you from this room.</source>
        <translation>主持人已禁止你进入这个聊天室。</translation>
    </message>
    <message>
        <source>The secure connection to %1 could not be set up: the data was altered on the way, or the other side is not ChatPort.</source>
        <translation>无法与 %1 建立安全连接：数据在途中被篡改，或者对方不是 ChatPort。</translation>
    </message>
    <message>
        <source>ChatPort can&apos;t use its data folder, where it keeps its key. Check that the folder can be written, or choose another with --data-dir.</source>
        <translation>ChatPort 无法使用存放密钥的数据文件夹。请检查该文件夹是否可写，或用 --data-dir 选择另一个文件夹。</translation>
    </message>
    <message>
        <source>You removed %1 from the chat and banned them from this room.</source>
        <translation>你已将 %1 移出聊天，并禁止其再进入此聊天室。</translation>
    </message>
    <message>
        <source>First contact with the host at %1: ChatPort will remember its key, fingerprint %2. Ask the host which fingerprint their ChatPort shows: if it is this one, nobody is in between.</source>
        <translation>首次连接 %1 的主持人：ChatPort 将记住它的密钥，指纹为 %2。请问主持人他的 ChatPort 显示的指纹是什么：如果就是这个，说明中间没有人冒充。</translation>
    </message>
    <message>
        <source>You chose to trust the new key of the host at %1, fingerprint %2. Joining again…</source>
        <translation>你选择信任 %1 的主持人的新密钥，指纹为 %2。正在重新加入…</translation>
    </message>
    <message>
        <source>The host removed you from the chat because you sent messages too fast. You can join again; send fewer messages at once.</source>
        <translation>你发送消息太快，主持人已将你移出聊天。你可以重新加入；请不要一次发送太多消息。</translation>
    </message>
    <message>
        <source>%1 was removed for sending messages too fast.</source>
        <translation>%1 因发送消息太快而被移出聊天。</translation>
    </message>
    <message>
        <source>This is not the room that was announced: the computer at %1 answered with another key. Someone on the network may be posing as it. Join by address if you trust this computer.</source>
        <translation>这不是所公告的聊天室：%1 处的计算机使用了另一个密钥应答。网络上可能有人在冒充它。如果你信任这台计算机，请按地址加入。</translation>
    </message>
    <message>
        <source>Port %1 is in use on this computer, so the room is on port %2. Joiners on this network find it anyway; anyone joining by address needs port %2.</source>
        <translation>端口 %1 在这台电脑上已被占用，因此聊天室改用端口 %2。同一网络中的加入者仍能自动找到它；按地址加入的人需要使用端口 %2。</translation>
    </message>
    <message>
        <source>ChatPort can&apos;t open its history in its data folder, so this chat will not be kept. Everything else works; see the log for why.</source>
        <translation>ChatPort 无法打开数据文件夹中的聊天记录，因此这次聊天不会被保存。其他功能都正常；原因请查看日志。</translation>
    </message>
    <message>
        <source>Earlier in this room</source>
        <translation>此前在这个聊天室里</translation>
    </message>
    <message>
        <source>New messages from here on</source>
        <translation>以下是新消息</translation>
    </message>
    <message>
        <source>ChatPort can&apos;t read that file or folder, so it was not offered. Check that it still exists and that you may open it.</source>
        <translation>ChatPort 无法读取该文件或文件夹，因此没有发送。请确认它仍然存在，并且你有权限打开它。</translation>
    </message>
    <message>
        <source>That is larger than the host allows in this room, so it was not offered.</source>
        <translation>它超过了此聊天室主持人允许的大小，因此没有发送。</translation>
    </message>
    <message>
        <source>The room has as many transfers running as its host allows. Try again when one has finished.</source>
        <translation>聊天室中正在进行的传输已达到主持人允许的上限。请等其中一个完成后再试。</translation>
    </message>
    <message>
        <source>That transfer is no longer there: it finished, or the other side ended it.</source>
        <translation>该传输已不存在：它已完成，或对方已将其结束。</translation>
    </message>
    <message>
        <source>They declined it.</source>
        <translation>对方拒绝了。</translation>
    </message>
    <message>
        <source>You declined it.</source>
        <translation>你拒绝了。</translation>
    </message>
    <message>
        <source>You cancelled it.</source>
        <translation>你取消了。</translation>
    </message>
    <message>
        <source>They cancelled it.</source>
        <translation>对方取消了。</translation>
    </message>
    <message>
        <source>The sender cancelled it.</source>
        <translation>发送者取消了。</translation>
    </message>
    <message>
        <source>They left the chat before it arrived.</source>
        <translation>对方在收到之前离开了聊天。</translation>
    </message>
    <message>
        <source>The sender left the chat before it arrived.</source>
        <translation>发送者在传输完成之前离开了聊天。</translation>
    </message>
    <message>
        <source>What arrived was not what was sent, so nothing was kept. Try sending it again.</source>
        <translation>收到的内容与发送的不一致，因此没有保留任何内容。请再发送一次。</translation>
    </message>
    <message>
        <source>It is larger than the host allows in this room.</source>
        <translation>它超过了此聊天室主持人允许的大小。</translation>
    </message>
    <message>
        <source>The room had as many transfers running as its host allows. Try again later.</source>
        <translation>聊天室中正在进行的传输已达到主持人允许的上限。请稍后再试。</translation>
    </message>
    <message>
        <source>They could not save it (their disk may be full).</source>
        <translation>对方无法保存（对方的磁盘可能已满）。</translation>
    </message>
    <message>
        <source>ChatPort could not save it there. Check the free space and that you may write to that folder.</source>
        <translation>ChatPort 无法保存到那里。请检查剩余空间，以及你是否有权限写入该文件夹。</translation>
    </message>
    <message>
        <source>ChatPort could not read it any more: it was moved, changed or removed.</source>
        <translation>ChatPort 无法再读取它：它已被移动、修改或删除。</translation>
    </message>
    <message>
        <source>The sender could no longer read it: it was moved, changed or removed.</source>
        <translation>发送者无法再读取它：它已被移动、修改或删除。</translation>
    </message>
    <message>
        <source>The chat ended before it arrived.</source>
        <translation>聊天在传输完成之前结束了。</translation>
    </message>
    <message>
        <source>The other side broke the rules of sending files, so it was stopped.</source>
        <translation>对方违反了文件传输的规则，因此传输已停止。</translation>
    </message>
    <message>
        <source>It did not arrive.</source>
        <translation>未能送达。</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/秒</translation>
    </message>
    <message numerus="yes">
        <source>%n s</source>
        <translation>
            <numerusform>%n 秒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>about %n min</source>
        <translation>
            <numerusform>约 %n 分钟</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>about %n h</source>
        <translation>
            <numerusform>约 %n 小时</numerusform>
        </translation>
    </message>
    <message>
        <source>days</source>
        <translation>数天</translation>
    </message>
    <message>
        <source>%1 may now send without a rate limit.</source>
        <translation>%1 现在发送消息不受速率限制。</translation>
    </message>
    <message>
        <source>%1 is under the room&apos;s rate limit again (%2 messages a second, %3 at once).</source>
        <translation>%1 重新受聊天室速率限制（每秒 %2 条，一次最多 %3 条）。</translation>
    </message>
    <message>
        <source>The host lifted your rate limit: you may send as fast as you like.</source>
        <translation>主持人解除了你的速率限制：你可以随意快速发送。</translation>
    </message>
    <message>
        <source>The host put your rate limit back: %1 messages a second, %2 at once.</source>
        <translation>主持人恢复了你的速率限制：每秒 %1 条，一次最多 %2 条。</translation>
    </message>
    <message>
        <source>Your picture was not changed: a picture is a PNG or JPEG of at most 16 KiB, changed a few times a minute at most. Try again in a minute.</source>
        <translation>头像没有更改：头像须为不超过 16 KiB 的 PNG 或 JPEG，每分钟最多更改几次。请一分钟后再试。</translation>
    </message>
    <message>
        <source>ChatPort can&apos;t keep this room&apos;s bans and lifted rate limits in its data folder, so they will last only until the chat ends. Check that the folder can be written; the log says why.</source>
        <translation>ChatPort 无法把此聊天室的封禁和解除的发送限制保存在数据文件夹中，它们只在本次聊天结束前有效。请检查该文件夹是否可写；原因见日志。</translation>
    </message>
</context>
<context>
    <name>InputChecks</name>
    <message>
        <source>Enter a nickname.</source>
        <translation>请输入昵称。</translation>
    </message>
    <message>
        <source>A nickname can&apos;t be only spaces.</source>
        <translation>昵称不能只有空格。</translation>
    </message>
    <message>
        <source>A nickname can&apos;t contain tabs, line breaks or other control characters.</source>
        <translation>昵称不能包含制表符、换行符或其他控制字符。</translation>
    </message>
    <message>
        <source>A nickname can have at most %1 characters.</source>
        <translation>昵称最多 %1 个字符。</translation>
    </message>
    <message>
        <source>This nickname can&apos;t be used. Choose another one.</source>
        <translation>这个昵称不能使用，请换一个。</translation>
    </message>
    <message>
        <source>Enter a port number.</source>
        <translation>请输入端口号。</translation>
    </message>
    <message>
        <source>The port must be a number from 0 to 65535 (0 picks a free one).</source>
        <translation>端口必须是 0 到 65535 之间的数字（0 表示自动选择空闲端口）。</translation>
    </message>
    <message>
        <source>The port must be a number from 1 to 65535.</source>
        <translation>端口必须是 1 到 65535 之间的数字。</translation>
    </message>
    <message>
        <source>Enter the host&apos;s address, for example 192.168.1.20.</source>
        <translation>请输入主持人的地址，例如 192.168.1.20。</translation>
    </message>
    <message>
        <source>Put the port in the port field, or write the address as host:port.</source>
        <translation>请把端口填在端口栏中，或按“主机:端口”的格式填写地址。</translation>
    </message>
    <message>
        <source>“%1” is not an address or a computer name. Use something like 192.168.1.20 or my-laptop.local.</source>
        <translation>“%1”不是有效的地址或电脑名称。请使用类似 192.168.1.20 或 my-laptop.local 的格式。</translation>
    </message>
</context>
<context>
    <name>NameBadge</name>
    <message>
        <source>host</source>
        <translation>主持人</translation>
    </message>
    <message>
        <source>you</source>
        <translation>你</translation>
    </message>
    <message>
        <source>The host runs this chat. Only the host gets this badge; no name can show it.</source>
        <translation>主持人负责这个聊天。只有主持人才有这个标志，任何名字都无法显示它。</translation>
    </message>
    <message>
        <source>This is you.</source>
        <translation>这是你。</translation>
    </message>
</context>
<context>
    <name>chatport::ui::BannedPeopleMenu</name>
    <message>
        <source>&amp;Banned people</source>
        <translation>已封禁的人(&amp;B)</translation>
    </message>
    <message>
        <source>Let %1 join again (banned %2)</source>
        <translation>允许 %1 再次加入（%2 封禁）</translation>
    </message>
    <message>
        <source>Key fingerprint: %1</source>
        <translation>密钥指纹：%1</translation>
    </message>
    <message>
        <source>Let %1 (key %2…) join again (banned %3)</source>
        <translation>允许 %1（密钥 %2…）再次加入（%3 封禁）</translation>
    </message>
</context>
<context>
    <name>chatport::ui::ChatLogDelegate</name>
    <message>
        <source>you</source>
        <translation>你</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>(private)</source>
        <translation>（私信）</translation>
    </message>
    <message>
        <source>Accept…</source>
        <translation>接收…</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>New messages</source>
        <translation>新消息</translation>
    </message>
</context>
<context>
    <name>chatport::ui::ChatLogModel</name>
    <message>
        <source>[%1] %2 → %3 (private): %4</source>
        <translation>[%1] %2 → %3（私信）：%4</translation>
    </message>
</context>
<context>
    <name>chatport::ui::ChatLogView</name>
    <message>
        <source>Chat messages</source>
        <translation>聊天消息</translation>
    </message>
    <message numerus="yes">
        <source>↓ %n new message(s)</source>
        <translation>
            <numerusform>↓ %n 条新消息</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>Copy message &amp;text</source>
        <translation>复制消息文字(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Open link</source>
        <translation>打开链接(&amp;O)</translation>
    </message>
    <message>
        <source>Copy &amp;link address</source>
        <translation>复制链接地址(&amp;L)</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Jump to latest</source>
        <translation>跳到最新(&amp;J)</translation>
    </message>
</context>
<context>
    <name>chatport::ui::ChatWindow</name>
    <message>
        <source>&amp;Send</source>
        <translation>发送(&amp;S)</translation>
    </message>
    <message>
        <source>Back to everyone</source>
        <translation>改回发给所有人</translation>
    </message>
    <message>
        <source>Send your messages to everyone again (Esc)</source>
        <translation>之后的消息重新发给所有人（Esc）</translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation>聊天(&amp;C)</translation>
    </message>
    <message>
        <source>Change &amp;nickname…</source>
        <translation>修改昵称(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;End the chat</source>
        <translation>结束聊天(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Leave the chat</source>
        <translation>离开聊天(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Jump to latest message</source>
        <translation>跳到最新消息(&amp;J)</translation>
    </message>
    <message>
        <source>&amp;Clear the log</source>
        <translation>清空聊天记录(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About ChatPort</source>
        <translation>关于 ChatPort(&amp;A)</translation>
    </message>
    <message>
        <source>About ChatPort</source>
        <translation>关于 ChatPort</translation>
    </message>
    <message>
        <source>&lt;h3&gt;ChatPort %1&lt;/h3&gt;&lt;p&gt;Chat with the people on your local network: one person hosts, everyone else joins.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;ChatPort %1&lt;/h3&gt;&lt;p&gt;与局域网中的人聊天：一人主持，其他人加入。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Host again</source>
        <translation>重新主持</translation>
    </message>
    <message>
        <source>Join again</source>
        <translation>重新加入</translation>
    </message>
    <message>
        <source>New nickname:</source>
        <translation>新昵称：</translation>
    </message>
    <message>
        <source>Change nickname</source>
        <translation>修改昵称</translation>
    </message>
    <message>
        <source>Private message to &lt;b&gt;%1&lt;/b&gt;: only they will see it.</source>
        <translation>私信给 &lt;b&gt;%1&lt;/b&gt;：只有对方能看到。</translation>
    </message>
    <message>
        <source>Write to %1 privately. Enter sends, Esc goes back to everyone.</source>
        <translation>给 %1 发私信。按 Enter 发送，按 Esc 改回发给所有人。</translation>
    </message>
    <message>
        <source>%1 — hosting on port %2</source>
        <translation>%1 — 正在端口 %2 上主持</translation>
    </message>
    <message>
        <source>%1 — hosting</source>
        <translation>%1 — 正在主持</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; left — your message will not be sent.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; 已离开——你的消息不会发出。</translation>
    </message>
    <message>
        <source>If %1 comes back in the same session, your message goes to them. Go back to everyone to write to the whole chat instead.</source>
        <translation>如果 %1 在同一会话中回来，你的消息会发给对方。若要改为发给整个聊天，请改回发给所有人。</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; is not in this chat — your message will not be sent.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; 不在这个聊天中——你的消息不会发出。</translation>
    </message>
    <message>
        <source>Double-click a name in the list to write to that person, or go back to everyone.</source>
        <translation>双击列表中的名字可给那个人发私信，或改回发给所有人。</translation>
    </message>
    <message>
        <source>%1 left: nothing is sent. Esc goes back to everyone.</source>
        <translation>%1 已离开：不会发出任何消息。按 Esc 改回发给所有人。</translation>
    </message>
    <message>
        <source>%1 is not in this chat: nothing is sent. Esc goes back to everyone.</source>
        <translation>%1 不在这个聊天中：不会发出任何消息。按 Esc 改回发给所有人。</translation>
    </message>
    <message>
        <source>Choose another nickname…</source>
        <translation>换一个昵称…</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>更改…</translation>
    </message>
    <message>
        <source>Remove %1 from the chat and ban them?</source>
        <translation>将 %1 移出聊天并禁止其加入？</translation>
    </message>
    <message>
        <source>Remove and &amp;ban</source>
        <translation>移出并禁止(&amp;B)</translation>
    </message>
    <message>
        <source>Remove %1 from the chat?</source>
        <translation>将 %1 移出聊天？</translation>
    </message>
    <message>
        <source>They can join again.</source>
        <translation>对方可以重新加入。</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>移出(&amp;R)</translation>
    </message>
    <message>
        <source>Clear the log?</source>
        <translation>清空记录？</translation>
    </message>
    <message>
        <source>The messages shown here are removed from this window; nobody else&apos;s is changed.</source>
        <translation>此窗口中显示的消息将被清除；其他人的不受影响。</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>清空(&amp;L)</translation>
    </message>
    <message>
        <source>End the chat for everyone?</source>
        <translation>为所有人结束聊天？</translation>
    </message>
    <message numerus="yes">
        <source>You are hosting: %n other person(s) will be disconnected.</source>
        <translation>
            <numerusform>你正在主持：其他 %n 人将被断开连接。</numerusform>
        </translation>
    </message>
    <message>
        <source>ChatPort</source>
        <translation>ChatPort</translation>
    </message>
    <message>
        <source>&amp;Don&apos;t ask again</source>
        <translation>不再询问(&amp;D)</translation>
    </message>
    <message>
        <source>New &amp;session…</source>
        <translation>新会话(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;History…</source>
        <translation>聊天记录(&amp;H)…</translation>
    </message>
    <message>
        <source>&amp;Find in history…</source>
        <translation>在聊天记录中查找(&amp;F)…</translation>
    </message>
    <message>
        <source>your room</source>
        <translation>你的聊天室</translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation>传输</translation>
    </message>
    <message>
        <source>Send a file or a folder</source>
        <translation>发送文件或文件夹</translation>
    </message>
    <message>
        <source>Send &amp;file…</source>
        <translation>发送文件(&amp;F)…</translation>
    </message>
    <message>
        <source>Send f&amp;older…</source>
        <translation>发送文件夹(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Transfers</source>
        <translation>传输(&amp;T)</translation>
    </message>
    <message>
        <source>Send files</source>
        <translation>发送文件</translation>
    </message>
    <message>
        <source>Send a folder</source>
        <translation>发送文件夹</translation>
    </message>
    <message>
        <source>Send image</source>
        <translation>发送图片</translation>
    </message>
    <message>
        <source>Send this image to everyone?</source>
        <translation>将此图片发送给所有人？</translation>
    </message>
    <message>
        <source>Send this image to %1?</source>
        <translation>将此图片发送给 %1？</translation>
    </message>
    <message>
        <source>%1 × %2 pixels, sent as a PNG file.</source>
        <translation>%1 × %2 像素，以 PNG 文件发送。</translation>
    </message>
    <message>
        <source>ChatPort could not save the pasted image to send it: the temporary folder can&apos;t be written to.</source>
        <translation>ChatPort 无法保存粘贴的图片以便发送：无法写入临时文件夹。</translation>
    </message>
    <message>
        <source>offers a folder to everyone</source>
        <translation>向所有人发送了一个文件夹</translation>
    </message>
    <message>
        <source>offers a file to everyone</source>
        <translation>向所有人发送了一个文件</translation>
    </message>
    <message>
        <source>offers %1 a folder</source>
        <translation>向 %1 发送了一个文件夹</translation>
    </message>
    <message>
        <source>offers %1 a file</source>
        <translation>向 %1 发送了一个文件</translation>
    </message>
    <message>
        <source>someone</source>
        <translation>某人</translation>
    </message>
    <message>
        <source>offers you a folder</source>
        <translation>向你发送了一个文件夹</translation>
    </message>
    <message>
        <source>offers you a file</source>
        <translation>向你发送了一个文件</translation>
    </message>
    <message>
        <source>Waiting for an answer</source>
        <translation>等待对方回应</translation>
    </message>
    <message>
        <source>Waiting for your answer</source>
        <translation>等待你回应</translation>
    </message>
    <message>
        <source>Sending to %1…</source>
        <translation>正在发送给 %1…</translation>
    </message>
    <message>
        <source>Receiving…</source>
        <translation>正在接收…</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在校验…</translation>
    </message>
    <message>
        <source>%1 has it</source>
        <translation>%1 已收到</translation>
    </message>
    <message>
        <source>Saved in %1</source>
        <translation>已保存到 %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Save “%1” in</source>
        <translation>将“%1”保存到</translation>
    </message>
    <message>
        <source>“%1” is already in that folder.</source>
        <translation>该文件夹中已有“%1”。</translation>
    </message>
    <message>
        <source>Replace it with the one you receive, or keep both (the new one gets a number)?</source>
        <translation>用收到的文件替换它，还是两个都保留（新文件的名称会加上编号）？</translation>
    </message>
    <message>
        <source>&amp;Replace</source>
        <translation>替换(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Keep both</source>
        <translation>都保留(&amp;K)</translation>
    </message>
    <message>
        <source>Accepted: it will be saved in %1</source>
        <translation>已接收：将保存到 %1</translation>
    </message>
    <message>
        <source>Insert an emoji (Ctrl+E)</source>
        <translation>插入表情符号 (Ctrl+E)</translation>
    </message>
    <message>
        <source>Insert an emoji</source>
        <translation>插入表情符号</translation>
    </message>
    <message numerus="yes">
        <source>%n file transfer(s) will stop; a file being received is kept only once it is whole.</source>
        <translation>
            <numerusform>%n 个文件传输将会停止；正在接收的文件只有完整收到才会保留。</numerusform>
        </translation>
    </message>
    <message>
        <source>Stop the file transfers?</source>
        <translation>停止文件传输吗？</translation>
    </message>
    <message>
        <source>&amp;Leave anyway</source>
        <translation>仍然离开(&amp;L)</translation>
    </message>
    <message>
        <source>Your &amp;picture…</source>
        <translation>我的头像(&amp;P)…</translation>
    </message>
    <message>
        <source>Remove your pictu&amp;re</source>
        <translation>移除我的头像(&amp;R)</translation>
    </message>
    <message>
        <source>Your picture</source>
        <translation>我的头像</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.gif *.bmp *.webp)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.gif *.bmp *.webp)</translation>
    </message>
    <message>
        <source>%1 cannot be used as a picture: %2</source>
        <translation>%1 不能用作头像：%2</translation>
    </message>
    <message>
        <source>This image cannot be made small enough to send.</source>
        <translation>这张图片无法压缩到可以发送的大小。</translation>
    </message>
    <message>
        <source>They can&apos;t join this room again, even after a restart, until you let them (Chat ▸ Banned people).</source>
        <translation>对方将无法再次加入此聊天室，重启后也是如此，直到你允许为止（聊天 ▸ 已封禁的人）。</translation>
    </message>
    <message>
        <source>%1 may join this room again.</source>
        <translation>%1 可以再次加入此聊天室了。</translation>
    </message>
    <message>
        <source>Taken up where it stopped</source>
        <translation>已从中断处继续</translation>
    </message>
</context>
<context>
    <name>chatport::ui::ClientListModel</name>
    <message>
        <source>%1 (host, you)</source>
        <translation>%1（主持人，你）</translation>
    </message>
    <message>
        <source>%1 (host)</source>
        <translation>%1（主持人）</translation>
    </message>
    <message>
        <source>%1 (you)</source>
        <translation>%1（你）</translation>
    </message>
    <message>
        <source>This is you.</source>
        <translation>这是你。</translation>
    </message>
    <message>
        <source>Double-click to send %1 a private message.</source>
        <translation>双击可给 %1 发私信。</translation>
    </message>
    <message>
        <source>Connected (%1)</source>
        <translation>在线（%1）</translation>
    </message>
    <message>
        <source>This is you, the host of this chat.</source>
        <translation>这是你，这个聊天的主持人。</translation>
    </message>
    <message>
        <source>The host of this chat. Double-click to send “%1” a private message.</source>
        <translation>这个聊天的主持人。双击可给“%1”发私信。</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>离开</translation>
    </message>
    <message>
        <source>Busy: notifications off</source>
        <translation>忙碌：通知已关闭</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
</context>
<context>
    <name>chatport::ui::ClientListView</name>
    <message>
        <source>People in the chat</source>
        <translation>聊天成员</translation>
    </message>
    <message>
        <source>Send a &amp;private message to %1</source>
        <translation>给 %1 发私信(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Remove %1 from the chat</source>
        <translation>将 %1 移出聊天(&amp;R)</translation>
    </message>
    <message>
        <source>Remove and &amp;ban %1</source>
        <translation>移出并禁止 %1(&amp;B)</translation>
    </message>
    <message>
        <source>No rate &amp;limit for %1</source>
        <translation>解除 %1 的速率限制(&amp;L)</translation>
    </message>
    <message>
        <source>%1 may send as fast as they like (a bot, say), even after reconnecting, while this room lasts.</source>
        <translation>在此聊天室存续期间，%1 可以随意快速发送（例如机器人），重新连接后依然有效。</translation>
    </message>
    <message>
        <source>%1 can&apos;t join this room again under any name, until you let them.</source>
        <translation>在你允许之前，%1 无论用什么昵称都不能再加入此聊天室。</translation>
    </message>
</context>
<context>
    <name>chatport::ui::ConnectionBanner</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>更改…</translation>
    </message>
    <message>
        <source>Choose another nickname, address or port</source>
        <translation>换一个昵称、地址或端口</translation>
    </message>
</context>
<context>
    <name>chatport::ui::HistoryContextDialog</name>
    <message>
        <source>In context — %1</source>
        <translation>上下文 — %1</translation>
    </message>
    <message>
        <source>What was said around the message found, which is marked:</source>
        <translation>找到的消息（已标出）及其前后的对话：</translation>
    </message>
</context>
<context>
    <name>chatport::ui::HistoryDialog</name>
    <message>
        <source>&amp;Keep the history of the rooms you are in</source>
        <translation>保存你所在聊天室的聊天记录(&amp;K)</translation>
    </message>
    <message>
        <source>E&amp;xport this room…</source>
        <translation>导出此聊天室(&amp;X)…</translation>
    </message>
    <message>
        <source>&amp;Delete this room&apos;s history…</source>
        <translation>删除此聊天室的记录(&amp;D)…</translation>
    </message>
    <message>
        <source>Delete &amp;all history…</source>
        <translation>删除全部记录(&amp;A)…</translation>
    </message>
    <message>
        <source>History</source>
        <translation>聊天记录</translation>
    </message>
    <message>
        <source>Takes effect from the next chat you host or join</source>
        <translation>从你下一次主持或加入聊天时起生效</translation>
    </message>
    <message>
        <source>forever</source>
        <translation>永久</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>none</source>
        <translation>不发送</translation>
    </message>
    <message>
        <source> messages</source>
        <translation> 条消息</translation>
    </message>
    <message>
        <source>When you host, each person who joins is shown this many of the room&apos;s latest messages</source>
        <translation>你主持聊天时，每位新加入的人会看到聊天室最近的这么多条消息</translation>
    </message>
    <message>
        <source>Keeping</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Keep &amp;messages for:</source>
        <translation>消息保存时长(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Newcomers see:</source>
        <translation>新加入者可见(&amp;N)：</translation>
    </message>
    <message>
        <source>Stored history</source>
        <translation>已保存的记录</translation>
    </message>
    <message>
        <source>Stored history — %1</source>
        <translation>已保存的记录 — %1</translation>
    </message>
    <message>
        <source>History is not available: %1</source>
        <translation>无法使用聊天记录：%1</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Not in a room that keeps history</source>
        <translation>当前不在保存记录的聊天室中</translation>
    </message>
    <message>
        <source>The messages are erased from this computer; this cannot be undone.</source>
        <translation>这些消息将从这台电脑上抹去，且无法撤销。</translation>
    </message>
    <message>
        <source>Delete the history of %1?</source>
        <translation>删除 %1 的聊天记录？</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>This room&apos;s history is deleted.</source>
        <translation>此聊天室的记录已删除。</translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation>正在删除…</translation>
    </message>
    <message>
        <source>Delete the history of every room?</source>
        <translation>删除所有聊天室的聊天记录？</translation>
    </message>
    <message>
        <source>&amp;Delete all</source>
        <translation>全部删除(&amp;D)</translation>
    </message>
    <message>
        <source>All history is deleted.</source>
        <translation>全部记录已删除。</translation>
    </message>
    <message>
        <source>Text (*.txt)</source>
        <translation>文本 (*.txt)</translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl)</source>
        <translation>JSON 行 (*.jsonl)</translation>
    </message>
    <message>
        <source>Export this room&apos;s history</source>
        <translation>导出此聊天室的记录</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) exported to %1.</source>
        <translation>
            <numerusform>已将 %n 条消息导出到 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>&amp;Use at most:</source>
        <translation>最多占用(&amp;U)：</translation>
    </message>
</context>
<context>
    <name>chatport::ui::HistorySearchBar</name>
    <message>
        <source>&amp;All rooms</source>
        <translation>所有聊天室(&amp;A)</translation>
    </message>
    <message>
        <source>Search the history</source>
        <translation>搜索聊天记录</translation>
    </message>
    <message>
        <source>Search every room this computer has kept history of, not only this one</source>
        <translation>搜索这台电脑保存过记录的所有聊天室，而不只是当前这个</translation>
    </message>
    <message>
        <source>Close the search (Esc)</source>
        <translation>关闭搜索（Esc）</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>聊天室</translation>
    </message>
    <message>
        <source>From</source>
        <translation>发送者</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Enter or double-click shows the message in context</source>
        <translation>按 Enter 或双击可查看消息的上下文</translation>
    </message>
    <message>
        <source>Find:</source>
        <translation>查找：</translation>
    </message>
    <message>
        <source>History search is not available: %1</source>
        <translation>无法搜索聊天记录：%1</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>Nothing found for “%1”.</source>
        <translation>没有找到“%1”。</translation>
    </message>
    <message numerus="yes">
        <source>The newest %n messages found; add words to narrow the search.</source>
        <translation>
            <numerusform>找到最新的 %n 条消息；可以再加些词缩小范围。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) found. Enter or double-click one to see it in context.</source>
        <translation>
            <numerusform>找到 %n 条消息。按 Enter 或双击可查看其上下文。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>chatport::ui::HostKeyDialog</name>
    <message>
        <source>The host&apos;s key has changed</source>
        <translation>主持人的密钥已改变</translation>
    </message>
    <message>
        <source>The host at %1 shows a different key from the one it showed before.</source>
        <translation>%1 的主持人出示的密钥与之前出示的不同。</translation>
    </message>
    <message>
        <source>Remembered:</source>
        <translation>记住的指纹：</translation>
    </message>
    <message>
        <source>Shown now:</source>
        <translation>现在的指纹：</translation>
    </message>
    <message>
        <source>This happens when the host has reinstalled ChatPort or lost its data folder — or when another computer on the network is posing as the host, to read what is said.</source>
        <translation>主持人重装了 ChatPort 或丢失了数据文件夹时会出现这种情况；也可能是网络上另一台计算机在冒充主持人，想偷看聊天内容。</translation>
    </message>
    <message>
        <source>Ask the host, face to face or by phone, which fingerprint their ChatPort shows in its status bar. Join only if it is the one shown now.</source>
        <translation>请当面或打电话问主持人，他的 ChatPort 状态栏里显示的是哪个指纹。只有当它就是现在的指纹时才加入。</translation>
    </message>
    <message>
        <source>Join anyway and trust the new key</source>
        <translation>仍然加入并信任新密钥</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>chatport::ui::InterfacesDialog</name>
    <message>
        <source>&amp;Automatic: every network this computer is on</source>
        <translation>自动：本机所在的每个网络(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Only the interfaces ticked below</source>
        <translation>仅使用下面勾选的接口(&amp;O)</translation>
    </message>
    <message>
        <source>Network interfaces</source>
        <translation>网络接口</translation>
    </message>
    <message>
        <source>Rooms are announced and looked for on these network interfaces. Those marked “automatic” are used unless you choose others.</source>
        <translation>在这些网络接口上公告和查找聊天室。标为“自动”的接口会被使用，除非你另行选择。</translation>
    </message>
    <message>
        <source>%1 (not present now)</source>
        <translation>%1（当前不存在）</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>down</source>
        <translation>未启用</translation>
    </message>
    <message>
        <source>this computer only</source>
        <translation>仅限本机</translation>
    </message>
    <message>
        <source>virtual</source>
        <translation>虚拟</translation>
    </message>
    <message>
        <source>Tick at least one interface, or choose Automatic.</source>
        <translation>请至少勾选一个接口，或选择“自动”。</translation>
    </message>
</context>
<context>
    <name>chatport::ui::MessageInput</name>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
</context>
<context>
    <name>chatport::ui::PresenceControl</name>
    <message>
        <source>S&amp;tatus</source>
        <translation>状态(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Available</source>
        <translation>在线(&amp;A)</translation>
    </message>
    <message>
        <source>A&amp;way</source>
        <translation>离开(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Busy: no notifications</source>
        <translation>忙碌：不通知(&amp;B)</translation>
    </message>
    <message>
        <source>Away after &amp;idle time</source>
        <translation>空闲多久后显示离开(&amp;I)</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) without input</source>
        <translation>
            <numerusform>%n 分钟无操作</numerusform>
        </translation>
    </message>
    <message>
        <source>Never</source>
        <translation>从不</translation>
    </message>
    <message>
        <source>Your status, as everyone sees it</source>
        <translation>你的状态，所有人都能看到</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>离开</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>忙碌</translation>
    </message>
    <message>
        <source>Your status: %1</source>
        <translation>你的状态：%1</translation>
    </message>
</context>
<context>
    <name>chatport::ui::RoomListModel</name>
    <message>
        <source>Hosted by %1 at %2
Host&apos;s key: %3%4</source>
        <translation>主持人：%1，地址：%2
主持人的密钥：%3%4</translation>
    </message>
    <message>
        <source>Needs the room&apos;s password</source>
        <translation>需要聊天室密码</translation>
    </message>
    <message numerus="yes">
        <source>%1, %n people, %2</source>
        <translation>
            <numerusform>%1，%n 人，%2</numerusform>
        </translation>
    </message>
    <message>
        <source>needs a password</source>
        <translation>需要密码</translation>
    </message>
    <message>
        <source>open</source>
        <translation>无需密码</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>聊天室</translation>
    </message>
    <message>
        <source>People</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>last joined just now</source>
        <translation>刚刚加入过</translation>
    </message>
    <message numerus="yes">
        <source>last joined %n minute(s) ago</source>
        <translation>
            <numerusform>%n 分钟前加入过</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>last joined %n hour(s) ago</source>
        <translation>
            <numerusform>%n 小时前加入过</numerusform>
        </translation>
    </message>
    <message>
        <source>last joined yesterday</source>
        <translation>昨天加入过</translation>
    </message>
    <message numerus="yes">
        <source>last joined %n day(s) ago</source>
        <translation>
            <numerusform>%n 天前加入过</numerusform>
        </translation>
    </message>
    <message>
        <source>last joined on %1</source>
        <translation>上次加入于 %1</translation>
    </message>
    <message>
        <source>%1 · not found now, %2</source>
        <translation>%1 · 当前未找到，%2</translation>
    </message>
    <message>
        <source>Joined before (%1), not heard on the network now: it may be off, or beyond what ChatPort can hear. Double-click to try to join it at %2.
Host&apos;s key: %3
Delete forgets it.</source>
        <translation>以前加入过（%1），当前在网络上没有发现：它可能已关闭，或在 ChatPort 能探测的范围之外。双击可尝试在 %2 加入。
主持人的密钥：%3
按 Delete 键可忘记它。</translation>
    </message>
    <message>
        <source>%1, not found now, %2</source>
        <translation>%1，当前未找到，%2</translation>
    </message>
</context>
<context>
    <name>chatport::ui::SessionStatusBar</name>
    <message>
        <source>Address and port of the chat</source>
        <translation>聊天的地址和端口</translation>
    </message>
    <message numerus="yes">
        <source>%n connected</source>
        <translation>
            <numerusform>%n 人在线</numerusform>
        </translation>
    </message>
    <message>
        <source>Encrypted: what is said in this chat can be read only by those in it.</source>
        <translation>已加密：此聊天中的内容只有聊天中的人能看到。</translation>
    </message>
    <message>
        <source>The room has a password.</source>
        <translation>此聊天室设有密码。</translation>
    </message>
    <message>
        <source>This host&apos;s key fingerprint. Joiners see the host&apos;s fingerprint when they join: if theirs is this one, they reached you and nobody is in between. Read it out to them.</source>
        <translation>本主持人的密钥指纹。加入者加入时会看到主持人的指纹：如果他们看到的就是这个，说明他们连到的是你，中间没有人冒充。请把它念给他们听。</translation>
    </message>
    <message>
        <source>The host&apos;s key fingerprint. Ask the host which fingerprint their ChatPort shows: if it is this one, nobody is in between.</source>
        <translation>主持人的密钥指纹。请问主持人他的 ChatPort 显示的指纹是什么：如果就是这个，说明中间没有人冒充。</translation>
    </message>
    <message>
        <source>Your key&apos;s fingerprint: %1</source>
        <translation>你的密钥指纹：%1</translation>
    </message>
    <message>
        <source>Host&apos;s key fingerprint: %1</source>
        <translation>主持人的密钥指纹：%1</translation>
    </message>
</context>
<context>
    <name>chatport::ui::StartDialog</name>
    <message>
        <source>&amp;Host a chat</source>
        <translation>主持聊天(&amp;H)</translation>
    </message>
    <message>
        <source>Start ChatPort</source>
        <translation>启动 ChatPort</translation>
    </message>
    <message>
        <source>How others will see you</source>
        <translation>别人看到的你的名字</translation>
    </message>
    <message>
        <source>&amp;Nickname:</source>
        <translation>昵称(&amp;N)：</translation>
    </message>
    <message>
        <source>Start a chat on this computer; others join it.</source>
        <translation>在这台电脑上开始聊天，其他人加入。</translation>
    </message>
    <message>
        <source>Join a chat someone on your network is hosting.</source>
        <translation>加入同一网络中别人主持的聊天。</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>The port others connect to. 0 picks a free one.</source>
        <translation>其他人连接的端口。0 表示自动选择空闲端口。</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>端口(&amp;P)：</translation>
    </message>
    <message>
        <source>Others join at:</source>
        <translation>其他人的加入地址：</translation>
    </message>
    <message>
        <source>e.g. 192.168.1.20 or my-laptop.local</source>
        <translation>例如 192.168.1.20 或 my-laptop.local</translation>
    </message>
    <message>
        <source>Host &amp;address:</source>
        <translation>主持人地址(&amp;A)：</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>端口(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Start hosting</source>
        <translation>开始主持(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Join</source>
        <translation>加入(&amp;J)</translation>
    </message>
    <message>
        <source>This computer is not on a network right now; only programs on it can join (127.0.0.1).</source>
        <translation>这台电脑目前未连接网络，只有本机上的程序可以加入（127.0.0.1）。</translation>
    </message>
    <message>
        <source>(the port is shown once the chat has started)</source>
        <translation>（聊天开始后会显示端口）</translation>
    </message>
    <message>
        <source>Sho&amp;w</source>
        <translation>显示(&amp;W)</translation>
    </message>
    <message>
        <source>Show the password as it is typed</source>
        <translation>输入时显示密码</translation>
    </message>
    <message>
        <source>&amp;Room password:</source>
        <translation>聊天室密码(&amp;R)：</translation>
    </message>
    <message>
        <source>Optional: joiners will need it</source>
        <translation>可不填；填了的话加入者需要它</translation>
    </message>
    <message>
        <source>Only if the room has one</source>
        <translation>仅当聊天室设有密码时填写</translation>
    </message>
    <message>
        <source>Leave it empty for a room anyone on the network can join. With a password, only those who know it can join.</source>
        <translation>留空则网络上任何人都能加入。设了密码，只有知道密码的人才能加入。</translation>
    </message>
    <message>
        <source>The password the host gave the room, if it has one.</source>
        <translation>主持人为聊天室设的密码（如果有）。</translation>
    </message>
    <message>
        <source>Join a &amp;chat</source>
        <translation>加入聊天(&amp;C)</translation>
    </message>
    <message>
        <source>Chat with people on your network. One person hosts; everyone else joins: pick the room from the list, or type the host&apos;s address.</source>
        <translation>与同一网络中的人聊天。一人主持，其他人加入：从列表中选择聊天室，或输入主持人的地址。</translation>
    </message>
    <message>
        <source>Roo&amp;ms on your network:</source>
        <translation>网络中的聊天室(&amp;M)：</translation>
    </message>
    <message>
        <source>Looking for rooms… None found yet. A room on another network: type its host&apos;s address below.</source>
        <translation>正在寻找聊天室……尚未找到。其他网络中的聊天室：请在下方输入主持人的地址。</translation>
    </message>
    <message>
        <source>Rooms hosted on your network, and those you joined before (greyed while not found). Double-click one to join it.</source>
        <translation>你的网络中正在主持的聊天室，以及你以前加入过的聊天室（未找到时显示为灰色）。双击即可加入。</translation>
    </message>
    <message>
        <source>&amp;Forget This Room</source>
        <translation>忘记此聊天室(&amp;F)</translation>
    </message>
    <message>
        <source>Network &amp;interfaces…</source>
        <translation>网络接口(&amp;I)…</translation>
    </message>
    <message>
        <source>Choose the networks to look for rooms on</source>
        <translation>选择在哪些网络上查找聊天室</translation>
    </message>
    <message>
        <source>A&amp;dd address or subnet…</source>
        <translation>添加地址或子网(&amp;D)…</translation>
    </message>
    <message>
        <source>Look for rooms at an address or in a subnet that the network does not reach by itself (another subnet, a VPN)</source>
        <translation>在网络本身无法到达的地址或子网（另一个子网、VPN）中查找聊天室</translation>
    </message>
    <message>
        <source>e.g. 10.0.5.7, 10.0.5.7:5150 or 10.0.5.0/24</source>
        <translation>例如 10.0.5.7、10.0.5.7:5150 或 10.0.5.0/24</translation>
    </message>
    <message>
        <source>&amp;Look there</source>
        <translation>在此查找(&amp;L)</translation>
    </message>
    <message>
        <source>The room could not be forgotten: %1</source>
        <translation>无法忘记该聊天室：%1</translation>
    </message>
    <message>
        <source>Loo&amp;k at:</source>
        <translation>查找位置(&amp;K)：</translation>
    </message>
</context>
<context>
    <name>chatport::ui::TransferListModel</name>
    <message>
        <source>Waiting for them to accept</source>
        <translation>等待对方接收</translation>
    </message>
    <message>
        <source>Waiting to start</source>
        <translation>等待开始</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>正在发送</translation>
    </message>
    <message>
        <source>Receiving</source>
        <translation>正在接收</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Checking</source>
        <translation>正在校验</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>to %1</source>
        <translation>发给 %1</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>来自 %1</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>With</source>
        <translation>对方</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>chatport::ui::TransferPanel</name>
    <message>
        <source>Transfers</source>
        <translation>传输</translation>
    </message>
    <message>
        <source>C&amp;lear finished</source>
        <translation>清除已完成(&amp;L)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
</context>
<context>
    <name>chatport::ui::UnreadNotifier</name>
    <message>
        <source>Private message from %1</source>
        <translation>来自 %1 的私信</translation>
    </message>
    <message>
        <source>Message from %1</source>
        <translation>来自 %1 的消息</translation>
    </message>
</context>
<context>
    <name>chatport::ui::WrongRoomDialog</name>
    <message>
        <source>Not the room announced</source>
        <translation>不是所公告的聊天室</translation>
    </message>
    <message>
        <source>This is not the room that was announced.</source>
        <translation>这不是所公告的聊天室。</translation>
    </message>
    <message>
        <source>The computer at %1 answered with another key than the one the room announced. Someone on the network may be posing as the room.</source>
        <translation>%1 处的计算机使用的密钥与聊天室所公告的不同。网络上可能有人在冒充该聊天室。</translation>
    </message>
    <message>
        <source>Announced:</source>
        <translation>所公告的：</translation>
    </message>
    <message>
        <source>Answered with:</source>
        <translation>实际应答的：</translation>
    </message>
    <message>
        <source>If you trust this computer, join it by typing its address instead of picking the room from the list.</source>
        <translation>如果你信任这台计算机，请输入它的地址来加入，而不要从列表中选择该聊天室。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>ChatPort could not start: %1</source>
        <translation>ChatPort 无法启动：%1</translation>
    </message>
</context>
</TS>
