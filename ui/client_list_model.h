#pragma once
// Who is in the chat, as the core last said, with the host and this window's user flagged
// (IsHostRole, IsSelfRole: ClientListDelegate draws them as badges; the display text is the
// bare name), each person's picture where they set one (else their colour's dot), and each person's presence (PresenceRole, a marked dot; said in the tooltip and
// the accessible text); the header counts them. Updated in place (rows inserted, removed, changed) so a
// selection survives. UI thread only.

#include <chatport/chat/types.h>

#include <QAbstractListModel>
#include <QHash>
#include <QIcon>

#include <vector>

namespace chatport::ui {

class PictureBook;
class SenderPalette;

class ClientListModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum Role {
    IdRole = Qt::UserRole + 1,  ///< uint (chat::ClientId)
    NameRole,                   ///< QString: the bare nickname
    IsHostRole,                 ///< bool
    IsSelfRole,                 ///< bool
    SortRole,                   ///< QString: host first, then you, then by name
    PresenceRole,               ///< int (chat::Presence): ClientListDelegate marks it
  };
  Q_ENUM(Role)

  explicit ClientListModel(QObject* parent = nullptr);

  /// How a presence is said: "Available", "Away", "Busy: notifications off".
  static QString presenceText(chat::Presence presence);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  QHash<int, QByteArray> roleNames() const override;

  /// This window's user; marked "you".
  void setSelf(chat::ClientId self);
  chat::ClientId self() const { return self_; }
  /// The session's colours (it outlives the model); without one, colours come from names.
  void setSenderPalette(const SenderPalette* palette) { palette_ = palette; }
  /// The session's pictures (it outlives the model); a person with one shows it instead of a dot.
  void setPictureBook(const PictureBook* pictures) { pictures_ = pictures; }
  /// id's picture changed in the book: its row is drawn anew.
  void pictureChanged(chat::ClientId id);
  /// Replaces the list: rows of people who left are removed, newcomers appended, renamed or
  /// re-flagged people updated in place.
  void setClients(const std::vector<chat::Participant>& clients);
  void clear();

  const std::vector<chat::Participant>& clients() const { return clients_; }
  /// nullptr if id is not in the list.
  const chat::Participant* find(chat::ClientId id) const;
  QString nameOf(chat::ClientId id) const;
  int count() const { return static_cast<int>(clients_.size()); }

 private:
  int rowOf(chat::ClientId id) const;

  std::vector<chat::Participant> clients_;
  mutable QHash<QRgb, QIcon> dots_;  // one swatch per colour
  chat::ClientId self_ = chat::kNoClient;
  const SenderPalette* palette_ = nullptr;
  const PictureBook* pictures_ = nullptr;
};

}  // namespace chatport::ui
