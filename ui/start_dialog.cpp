#include "start_dialog.h"

#include "event_text.h"
#include "input_checks.h"
#include "interfaces_dialog.h"
#include "local_addresses.h"
#include "room_list_model.h"
#include "settings.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QIntValidator>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <chatport/chat/discovery.h>

#include <algorithm>

namespace chatport::ui {
namespace {

QLabel* problemLabel(const QString& objectName, QWidget* parent) {
  auto* label = new QLabel(parent);
  label->setObjectName(objectName);
  label->setWordWrap(true);
  QPalette pal = label->palette();
  const bool dark = pal.color(QPalette::Window).lightnessF() < 0.5;
  pal.setColor(QPalette::WindowText, dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb0, 0x1c, 0x1c));
  label->setPalette(pal);
  label->hide();
  return label;
}

QLineEdit* portEdit(const QString& objectName, QWidget* parent) {
  auto* edit = new QLineEdit(parent);
  edit->setObjectName(objectName);
  edit->setMaxLength(5);
  edit->setInputMethodHints(Qt::ImhDigitsOnly);
  edit->setMaximumWidth(edit->fontMetrics().horizontalAdvance(QStringLiteral("0000000")) + 16);
  return edit;
}

quint16 portOf(const QLineEdit* edit) { return static_cast<quint16>(edit->text().trimmed().toUInt()); }

}  // namespace

StartDialog::StartDialog(Settings& settings, QWidget* parent, std::string dataFolder)
    : QDialog(parent), settings_(settings), dataFolder_(std::move(dataFolder)), name_(new QLineEdit(this)),
      nameError_(problemLabel(QStringLiteral("nameError"), this)), password_(new QLineEdit(this)),
      showPassword_(new QCheckBox(tr("Sho&w"), this)),
      host_(new QRadioButton(tr("&Host a chat"), this)), join_(new QRadioButton(tr("Join a &chat"), this)),
      roles_(new QButtonGroup(this)),
      buttons_(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this)) {
  setObjectName(QStringLiteral("startDialog"));
  setWindowTitle(tr("Start ChatPort"));

  auto* intro = new QLabel(tr("Chat with people on your network. One person hosts; everyone else "
                              "joins: pick the room from the list, or type the host's address."), this);
  intro->setWordWrap(true);

  name_->setObjectName(QStringLiteral("nameEdit"));
  name_->setPlaceholderText(tr("How others will see you"));
  name_->setClearButtonEnabled(true);
  password_->setObjectName(QStringLiteral("passwordEdit"));
  password_->setEchoMode(QLineEdit::Password);
  showPassword_->setObjectName(QStringLiteral("showPassword"));
  showPassword_->setToolTip(tr("Show the password as it is typed"));
  auto* passwordRow = new QHBoxLayout;
  passwordRow->addWidget(password_, 1);
  passwordRow->addWidget(showPassword_);
  auto* nameForm = new QFormLayout;
  nameForm->addRow(tr("&Nickname:"), name_);
  nameForm->addRow(QString(), nameError_);
  nameError_->setBuddy(name_);

  host_->setObjectName(QStringLiteral("hostChoice"));
  join_->setObjectName(QStringLiteral("joinChoice"));
  host_->setToolTip(tr("Start a chat on this computer; others join it."));
  join_->setToolTip(tr("Join a chat someone on your network is hosting."));
  roles_->addButton(host_);
  roles_->addButton(join_);
  auto* roleRow = new QHBoxLayout;
  roleRow->addWidget(host_);
  roleRow->addWidget(join_);
  roleRow->addStretch();

  // Shown one at a time; a hidden page takes no room (a QStackedWidget would keep the taller
  // one's height and squeeze the wrapped messages).
  hostPage_ = buildHostPage();
  joinPage_ = buildJoinPage();

  buttons_->button(QDialogButtonBox::Cancel)->setText(tr("&Quit"));
  buttons_->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("startButton"));

  // The room's password, for either role: below the role's own fields.
  auto* passwordForm = new QFormLayout;
  auto* passwordLabel = new QLabel(tr("&Room password:"), this);
  passwordLabel->setBuddy(password_);
  passwordForm->addRow(passwordLabel, passwordRow);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addSpacing(6);
  layout->addLayout(nameForm);
  layout->addLayout(roleRow);
  layout->addWidget(hostPage_);
  layout->addWidget(joinPage_);
  layout->addLayout(passwordForm);
  layout->addStretch();
  layout->addWidget(buttons_);

  connect(buttons_, &QDialogButtonBox::clicked, this, [this](QAbstractButton* button) {
    quitRequested_ = button == buttons_->button(QDialogButtonBox::Cancel);
  });
  connect(buttons_, &QDialogButtonBox::accepted, this, &StartDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &StartDialog::reject);
  connect(roles_, &QButtonGroup::buttonToggled, this, [this](QAbstractButton*, bool on) {
    if (on) roleChanged();
  });
  connect(name_, &QLineEdit::textEdited, this,
          [this](const QString& text) { showProblem(nameError_, InputChecks::nameProblem(text)); });
  connect(showPassword_, &QCheckBox::toggled, this,
          [this](bool show) { password_->setEchoMode(show ? QLineEdit::Normal : QLineEdit::Password); });

  SessionRequest saved;
  saved.role = settings_.lastRole();
  saved.name = settings_.nickname();
  saved.port = saved.role == chat::Role::Host ? settings_.hostPort() : settings_.joinPort();
  saved.address = saved.role == chat::Role::Joiner ? settings_.joinAddress() : QString();
  hostPort_->setText(QString::number(settings_.hostPort()));
  address_->setText(settings_.joinAddress());
  joinPort_->setText(QString::number(settings_.joinPort()));
  setRequest(saved);
  // Wide enough for a room joined before with when it was last joined, beside its address.
  resize(sizeHint().expandedTo(QSize(540, 0)));
}

QWidget* StartDialog::buildHostPage() {
  auto* page = new QWidget(this);
  hostPort_ = portEdit(QStringLiteral("hostPortEdit"), page);
  hostPort_->setToolTip(tr("The port others connect to. 0 picks a free one."));
  hostPortError_ = problemLabel(QStringLiteral("hostPortError"), page);
  addresses_ = new QLabel(page);
  addresses_->setObjectName(QStringLiteral("localAddresses"));
  addresses_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  addresses_->setWordWrap(true);
  auto* form = new QFormLayout(page);
  form->setContentsMargins(0, 0, 0, 0);
  form->addRow(tr("&Port:"), hostPort_);
  form->addRow(QString(), hostPortError_);
  hostPortError_->setBuddy(hostPort_);
  form->addRow(tr("Others join at:"), addresses_);
  connect(hostPort_, &QLineEdit::textEdited, this, [this](const QString& text) {
    showProblem(hostPortError_, InputChecks::portProblem(text, InputChecks::PortUse::Host));
    updateAddresses();
  });
  return page;
}

QWidget* StartDialog::buildJoinPage() {
  auto* page = new QWidget(this);
  rooms_ = new RoomListModel(this);
  roomList_ = new QTreeView(page);
  roomList_->setObjectName(QStringLiteral("roomList"));
  roomList_->setModel(rooms_);
  roomList_->setRootIsDecorated(false);
  roomList_->setUniformRowHeights(true);
  roomList_->setAllColumnsShowFocus(true);
  roomList_->setSelectionMode(QAbstractItemView::SingleSelection);
  roomList_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  roomList_->header()->setStretchLastSection(false);
  roomList_->header()->setSectionResizeMode(RoomListModel::RoomColumn, QHeaderView::Stretch);
  roomList_->header()->setSectionResizeMode(RoomListModel::PeopleColumn, QHeaderView::ResizeToContents);
  roomList_->header()->setSectionResizeMode(RoomListModel::AddressColumn, QHeaderView::ResizeToContents);
  roomList_->setMinimumHeight(roomList_->fontMetrics().height() * 6);
  roomList_->setToolTip(tr("Rooms hosted on your network, and those you joined before (greyed while "
                            "not found). Double-click one to join it."));
  forgetRoom_ = new QAction(tr("&Forget This Room"), roomList_);
  forgetRoom_->setObjectName(QStringLiteral("forgetRoomAction"));
  forgetRoom_->setShortcut(QKeySequence::Delete);
  forgetRoom_->setShortcutContext(Qt::WidgetShortcut);
  forgetRoom_->setEnabled(false);
  roomList_->addAction(forgetRoom_);
  roomList_->setContextMenuPolicy(Qt::ActionsContextMenu);
  connect(forgetRoom_, &QAction::triggered, this, &StartDialog::forgetCurrentRoom);
  roomsStatus_ = new QLabel(page);
  roomsStatus_->setObjectName(QStringLiteral("roomsStatus"));
  roomsStatus_->setWordWrap(true);
  auto* roomsLabel = new QLabel(tr("Roo&ms on your network:"), page);
  roomsLabel->setBuddy(roomList_);
  auto* interfaces = new QPushButton(tr("Network &interfaces…"), page);
  interfaces->setObjectName(QStringLiteral("interfacesButton"));
  interfaces->setAutoDefault(false);
  interfaces->setToolTip(tr("Choose the networks to look for rooms on"));
  connect(interfaces, &QPushButton::clicked, this, &StartDialog::chooseInterfaces);
  auto* addProbeButton = new QPushButton(tr("A&dd address or subnet…"), page);
  addProbeButton->setObjectName(QStringLiteral("addProbeButton"));
  addProbeButton->setAutoDefault(false);
  addProbeButton->setToolTip(tr("Look for rooms at an address or in a subnet that the network does not "
                                "reach by itself (another subnet, a VPN)"));

  // Where to look besides: a row of the form below, shown by its button.
  probeRow_ = new QWidget(page);
  probeEdit_ = new QLineEdit(probeRow_);
  probeEdit_->setObjectName(QStringLiteral("probeEdit"));
  probeEdit_->setPlaceholderText(tr("e.g. 10.0.5.7, 10.0.5.7:5150 or 10.0.5.0/24"));
  probeEdit_->setClearButtonEnabled(true);
  probeEdit_->installEventFilter(this);  // Enter looks there instead of joining
  auto* probeButton = new QPushButton(tr("&Look there"), probeRow_);
  probeButton->setObjectName(QStringLiteral("probeButton"));
  probeButton->setAutoDefault(false);
  probeError_ = problemLabel(QStringLiteral("probeError"), page);
  probeError_->setBuddy(probeEdit_);
  auto* probeLine = new QHBoxLayout(probeRow_);
  probeLine->setContentsMargins(0, 0, 0, 0);
  probeRow_->setFocusProxy(probeEdit_);  // for its label's mnemonic
  probeLine->addWidget(probeEdit_, 1);
  probeLine->addWidget(probeButton);
  connect(addProbeButton, &QPushButton::clicked, this, [this] {
    joinForm_->setRowVisible(probeRow_, true);
    probeEdit_->setFocus(Qt::OtherFocusReason);
  });
  connect(probeButton, &QPushButton::clicked, this, &StartDialog::addProbe);
  connect(probeEdit_, &QLineEdit::textEdited, this, [this] { showProblem(probeError_, {}); });

  connect(roomList_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) { roomPicked(current); });
  connect(roomList_, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex& index) {
    roomPicked(index);
    accept();
  });

  address_ = new QLineEdit(page);
  address_->setObjectName(QStringLiteral("addressEdit"));
  address_->setPlaceholderText(tr("e.g. 192.168.1.20 or my-laptop.local"));
  address_->setClearButtonEnabled(true);
  addressError_ = problemLabel(QStringLiteral("addressError"), page);
  joinPort_ = portEdit(QStringLiteral("joinPortEdit"), page);
  joinPortError_ = problemLabel(QStringLiteral("joinPortError"), page);
  auto* column = new QVBoxLayout(page);
  column->setContentsMargins(0, 0, 0, 0);
  auto* top = new QHBoxLayout;
  top->addWidget(roomsLabel, 1, Qt::AlignBottom);
  top->addWidget(interfaces);
  column->addLayout(top);
  column->addWidget(roomList_, 1);
  auto* below = new QHBoxLayout;
  below->addWidget(roomsStatus_, 1);
  below->addStretch();
  below->addWidget(addProbeButton, 0, Qt::AlignTop);
  column->addLayout(below);
  auto* form = new QFormLayout;
  joinForm_ = form;
  column->addLayout(form);
  form->addRow(tr("Loo&k at:"), probeRow_);
  form->addRow(QString(), probeError_);
  form->setRowVisible(probeRow_, false);
  form->addRow(tr("Host &address:"), address_);
  form->addRow(QString(), addressError_);
  form->addRow(tr("P&ort:"), joinPort_);
  form->addRow(QString(), joinPortError_);
  addressError_->setBuddy(address_);
  joinPortError_->setBuddy(joinPort_);
  connect(address_, &QLineEdit::textEdited, this, [this](const QString& text) {
    pickedKey_.reset();  // typed by hand: no longer the room picked from the list
    const auto split = InputChecks::splitHostAndPort(text);
    const bool hasPort = split && split->port;
    showProblem(addressError_, InputChecks::addressProblem(hasPort ? split->host : text));
  });
  connect(address_, &QLineEdit::editingFinished, this, [this] {
    splitPastedPort();
    // A room beyond the beacons' reach (another subnet, a VPN) is asked directly: if it
    // answers, it shows in the list with its name and key.
    if (!finder_ || !InputChecks::addressProblem(address_->text()).isEmpty()) return;
    std::string problem;
    finder_->probe(EventText::endpoint(address_->text().trimmed(), portOf(joinPort_)).toStdString(), problem);
  });
  connect(joinPort_, &QLineEdit::textEdited, this, [this](const QString& text) {
    pickedKey_.reset();
    showProblem(joinPortError_, InputChecks::portProblem(text, InputChecks::PortUse::Join));
  });
  return page;
}

chat::Role StartDialog::role() const { return join_->isChecked() ? chat::Role::Joiner : chat::Role::Host; }

void StartDialog::roleChanged() {
  const bool hosting = role() == chat::Role::Host;
  hostPage_->setVisible(hosting);
  joinPage_->setVisible(!hosting);
  buttons_->button(QDialogButtonBox::Ok)->setText(hosting ? tr("&Start hosting") : tr("&Join"));
  password_->setPlaceholderText(hosting ? tr("Optional: joiners will need it") : tr("Only if the room has one"));
  password_->setToolTip(hosting ? tr("Leave it empty for a room anyone on the network can join. With a "
                                     "password, only those who know it can join.")
                                : tr("The password the host gave the room, if it has one."));
  if (hosting)
    updateAddresses();
  else
    startLookingForRooms();
}

StartDialog::~StartDialog() {
  // The widgets go with QWidget's destructor, after this one: the focus leaving a field then
  // (editingFinished) or the list's model going must not reach this dialog's handlers.
  for (QObject* child : findChildren<QObject*>()) child->disconnect(this);
}

void StartDialog::startLookingForRooms() {
  if (finder_) return;
  finder_ = std::make_unique<chat::RoomFinder>(settings_.discovery());
  // On the finder's thread: ask the UI thread to look (the dialog outlives the finder).
  finder_->setOnChange([this] { QMetaObject::invokeMethod(this, &StartDialog::showRooms, Qt::QueuedConnection); });
  std::string problem;
  // The rooms joined before, the addresses added and the last address joined are asked
  // directly: they may be beyond the beacons' reach. (A room joined by a computer's name is
  // not: a probe takes an address.)
  const auto remembered = chat::rememberedRooms(dataFolder_);
  rooms_->setRemembered(remembered);
  for (const auto& room : remembered)
    finder_->probe(EventText::endpoint(QString::fromStdString(room.address), room.port).toStdString(), problem);
  for (const QString& probe : settings_.probes()) finder_->probe(probe.toStdString(), problem);
  if (const QString last = settings_.joinAddress(); !last.isEmpty())
    finder_->probe(EventText::endpoint(last, settings_.joinPort()).toStdString(), problem);
  if (finder_->start(problem)) {
    roomsStatus_->setText(QString::fromStdString(problem));
    return;
  }
  showRooms();
}

void StartDialog::showRooms() {
  if (!finder_) return;
  rooms_->setRooms(finder_->rooms());
  roomsStatus_->setText(rooms_->heardCount() == 0
                            ? tr("Looking for rooms… None found yet. A room on another network: type "
                                 "its host's address below.")
                            : QString());
  roomsStatus_->setVisible(!roomsStatus_->text().isEmpty());
  // The picked room's address may have changed (heard at a better one): follow it.
  if (const int row = rooms_->rowOf(pickedRoomId_); row >= 0 && pickedKey_) roomPicked(rooms_->index(row, 0));
}

void StartDialog::roomPicked(const QModelIndex& index) {
  forgetRoom_->setEnabled(index.isValid() && rooms_->entry(index.row()).remembered);
  if (!index.isValid()) return;
  const RoomListModel::Entry& entry = rooms_->entry(index.row());
  pickedRoomId_ = entry.id;
  if (entry.found) {
    pickedKey_ = entry.found->hostKey;
    address_->setText(QString::fromStdString(entry.found->addresses.front()));
    joinPort_->setText(QString::number(entry.found->port));
  } else {
    // Where it was joined; the key pinned for that address protects it.
    pickedKey_.reset();
    address_->setText(QString::fromStdString(entry.remembered->address));
    joinPort_->setText(QString::number(entry.remembered->port));
  }
  showProblem(addressError_, {});
  showProblem(joinPortError_, {});
}

void StartDialog::forgetCurrentRoom() {
  const QModelIndex current = roomList_->currentIndex();
  if (!current.isValid() || !rooms_->entry(current.row()).remembered) return;
  const chat::RememberedRoom room = *rooms_->entry(current.row()).remembered;
  std::string problem;
  if (!chat::forgetRoom(dataFolder_, room.address, room.port, problem)) {
    roomsStatus_->setText(tr("The room could not be forgotten: %1").arg(QString::fromStdString(problem)));
    roomsStatus_->show();
    return;
  }
  rooms_->setRemembered(chat::rememberedRooms(dataFolder_));
  roomPicked(roomList_->currentIndex());
}

void StartDialog::addProbe() {
  const QString text = probeEdit_->text().trimmed();
  if (text.isEmpty() || !finder_) return;
  std::string problem;
  if (!finder_->probe(text.toStdString(), problem)) {
    showProblem(probeError_, QString::fromStdString(problem));
    probeEdit_->setFocus(Qt::OtherFocusReason);
    return;
  }
  settings_.addProbe(text);
  showProblem(probeError_, {});
  probeEdit_->clear();
  joinForm_->setRowVisible(probeRow_, false);
}

void StartDialog::chooseInterfaces() {
  InterfacesDialog dialog(settings_, this);
  if (dialog.exec() != QDialog::Accepted || !finder_) return;
  // Look again, on the interfaces chosen now.
  finder_.reset();
  startLookingForRooms();
}

bool StartDialog::eventFilter(QObject* watched, QEvent* event) {
  if (watched == probeEdit_ && event->type() == QEvent::KeyPress) {
    const int key = static_cast<QKeyEvent*>(event)->key();
    if (key == Qt::Key_Return || key == Qt::Key_Enter) {
      addProbe();
      return true;
    }
  }
  return QDialog::eventFilter(watched, event);
}

void StartDialog::updateAddresses() {
  const QStringList here = LocalAddresses::forJoining();
  const bool portOk = InputChecks::portProblem(hostPort_->text(), InputChecks::PortUse::Host).isEmpty();
  const quint16 port = portOf(hostPort_);
  if (here.isEmpty()) {
    addresses_->setText(tr("This computer is not on a network right now; only programs on it can "
                           "join (127.0.0.1)."));
    return;
  }
  QStringList lines;
  for (const QString& a : here)
    lines << (portOk && port != 0 ? EventText::endpoint(a, port) : a);
  QString text = lines.join(u'\n');
  if (portOk && port == 0) text += u'\n' + tr("(the port is shown once the chat has started)");
  addresses_->setText(text);
}

void StartDialog::splitPastedPort() {
  const auto split = InputChecks::splitHostAndPort(address_->text());
  if (!split || !split->port) return;
  address_->setText(split->host);
  joinPort_->setText(QString::number(*split->port));
  showProblem(addressError_, InputChecks::addressProblem(split->host));
  showProblem(joinPortError_, {});
}

void StartDialog::showProblem(QLabel* label, const QString& problem) {
  const bool changed = label->text() != problem;
  label->setText(problem);
  label->setVisible(!problem.isEmpty());
  if (QWidget* buddy = label->buddy()) buddy->setAccessibleDescription(problem);
  if (!changed) return;
  // Fit the (wrapped) messages: grow when one appears, shrink back when it goes. Once the
  // layout has taken the change in, so the height for the width is known.
  QMetaObject::invokeMethod(this, [this] {
    if (QLayout* l = layout()) l->activate();
    resize(width(), std::max(heightForWidth(width()), minimumSizeHint().height()));
  }, Qt::QueuedConnection);
}

SessionRequest StartDialog::request() const {
  SessionRequest r;
  r.role = role();
  r.name = name_->text();
  r.password = password_->text();
  if (r.role == chat::Role::Host) {
    r.port = portOf(hostPort_);
  } else {
    const auto split = InputChecks::splitHostAndPort(address_->text());
    r.address = split ? split->host : address_->text().trimmed();
    r.port = split && split->port ? *split->port : portOf(joinPort_);
    r.expectedHostKey = pickedKey_;
  }
  r.discovery = settings_.discovery();
  return r;
}

void StartDialog::setRequest(const SessionRequest& request) {
  name_->setText(request.name);
  password_->setText(request.password);
  if (request.role == chat::Role::Host) {
    host_->setChecked(true);
    hostPort_->setText(QString::number(request.port));
  } else {
    join_->setChecked(true);
    address_->setText(request.address);
    joinPort_->setText(QString::number(request.port));
  }
  roleChanged();
  for (QLabel* label : {nameError_, hostPortError_, addressError_, joinPortError_}) showProblem(label, {});
}

bool StartDialog::validateAll() {
  QWidget* firstBad = nullptr;
  auto check = [&](QLabel* label, QWidget* field, const QString& problem) {
    showProblem(label, problem);
    if (!problem.isEmpty() && !firstBad) firstBad = field;
  };
  check(nameError_, name_, InputChecks::nameProblem(name_->text()));
  if (role() == chat::Role::Host) {
    check(hostPortError_, hostPort_, InputChecks::portProblem(hostPort_->text(), InputChecks::PortUse::Host));
  } else {
    splitPastedPort();
    check(addressError_, address_, InputChecks::addressProblem(address_->text()));
    check(joinPortError_, joinPort_, InputChecks::portProblem(joinPort_->text(), InputChecks::PortUse::Join));
  }
  if (firstBad) firstBad->setFocus(Qt::OtherFocusReason);
  return firstBad == nullptr;
}

void StartDialog::accept() {
  if (!validateAll()) return;
  const SessionRequest r = request();
  settings_.setLastRole(r.role);
  settings_.setNickname(r.name);
  // A join address is remembered by the chat window once it has connected.
  if (r.role == chat::Role::Host) settings_.setHostPort(r.port);
  settings_.sync();
  QDialog::accept();
}

}  // namespace chatport::ui
