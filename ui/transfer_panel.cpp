#include "transfer_panel.h"

#include "transfer_list_model.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPainter>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTreeView>
#include <QVBoxLayout>

namespace chatport::ui {
namespace {

using namespace Qt::Literals::StringLiterals;
using State = TransferListModel::State;

/// Draws the Progress column as a progress bar with its percentage.
class ProgressDelegate : public QStyledItemDelegate {
 public:
  using QStyledItemDelegate::QStyledItemDelegate;

  void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override {
    if (index.column() != TransferListModel::ProgressColumn) {
      QStyledItemDelegate::paint(painter, option, index);
      return;
    }
    QStyleOptionViewItem item = option;
    initStyleOption(&item, index);
    item.text.clear();
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &item, painter, widget);
    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(2, 3, -2, -3);
    bar.minimum = 0;
    bar.maximum = 100;
    bar.progress = index.data(TransferListModel::PercentRole).toInt();
    bar.text = index.data(Qt::DisplayRole).toString();
    bar.textVisible = true;
    bar.state = option.state | QStyle::State_Horizontal;
    bar.palette = option.palette;
    bar.fontMetrics = option.fontMetrics;
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
  }
};

}  // namespace

TransferPanel::TransferPanel(TransferListModel* model, QWidget* parent)
    : QWidget(parent), model_(model), view_(new QTreeView) {
  setObjectName(u"transferPanel"_s);
  view_->setObjectName(u"transferList"_s);
  view_->setModel(model_);
  view_->setItemDelegate(new ProgressDelegate(view_));
  view_->setRootIsDecorated(false);
  view_->setItemsExpandable(false);
  view_->setUniformRowHeights(true);
  view_->setSelectionMode(QAbstractItemView::SingleSelection);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view_->setAccessibleName(tr("Transfers"));
  QHeaderView* header = view_->header();
  header->setStretchLastSection(false);
  header->setSectionResizeMode(TransferListModel::NameColumn, QHeaderView::Stretch);
  header->setSectionResizeMode(TransferListModel::ActionsColumn, QHeaderView::ResizeToContents);
  header->resizeSection(TransferListModel::ProgressColumn, 130);
  header->resizeSection(TransferListModel::StateColumn, 180);

  auto* clear = new QPushButton(tr("C&lear finished"));
  clear->setObjectName(u"clearFinishedButton"_s);
  connect(clear, &QPushButton::clicked, model_, &TransferListModel::clearFinished);
  auto* buttons = new QHBoxLayout;
  buttons->addStretch(1);
  buttons->addWidget(clear);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(view_, 1);
  layout->addLayout(buttons);

  connect(model_, &QAbstractItemModel::rowsInserted, this,
          [this](const QModelIndex&, int first, int last) { updateButtons(first, last); });
  connect(model_, &QAbstractItemModel::dataChanged, this,
          [this](const QModelIndex& from, const QModelIndex& to) { updateButtons(from.row(), to.row()); });
}

QPushButton* TransferPanel::button(int row, const QString& objectName) const {
  QWidget* cell = view_->indexWidget(model_->index(row, TransferListModel::ActionsColumn));
  return cell ? cell->findChild<QPushButton*>(objectName) : nullptr;
}

void TransferPanel::updateButtons(int first, int last) {
  for (int row = first; row <= last; ++row) {
    const TransferListModel::Transfer& t = model_->transfer(row);
    const QModelIndex at = model_->index(row, TransferListModel::ActionsColumn);
    // Built again only when the state changes: progress reports come four times a second.
    QWidget* cell = view_->indexWidget(at);
    if (cell && cell->property("state").toInt() == static_cast<int>(t.state)) continue;
    if (cell) cell->hide();  // setIndexWidget deletes it later: not drawn meanwhile
    cell = new QWidget;
    cell->setProperty("state", static_cast<int>(t.state));
    auto* layout = new QHBoxLayout(cell);
    layout->setContentsMargins(2, 0, 2, 0);
    layout->setSpacing(4);
    auto add = [&](const QString& name, const QString& text, auto&& onClick) {
      auto* button = new QPushButton(text);
      button->setObjectName(name);
      button->setFocusPolicy(Qt::TabFocus);
      connect(button, &QPushButton::clicked, this, onClick);
      layout->addWidget(button);
    };
    const chat::TransferId id = t.id;
    const chat::ClientId peer = t.peer;
    const QString path = t.path;
    switch (t.state) {
      case State::Running:
      case State::Waiting:
        if (t.state == State::Running)
          add(u"pauseButton"_s, tr("Pause"), [this, id, peer] { Q_EMIT pauseRequested(id, peer, true); });
        add(u"cancelButton"_s, tr("Cancel"), [this, id, peer] { Q_EMIT cancelRequested(id, peer); });
        break;
      case State::Paused:
        add(u"resumeButton"_s, tr("Resume"), [this, id, peer] { Q_EMIT pauseRequested(id, peer, false); });
        add(u"cancelButton"_s, tr("Cancel"), [this, id, peer] { Q_EMIT cancelRequested(id, peer); });
        break;
      case State::Checking:
        add(u"cancelButton"_s, tr("Cancel"), [this, id, peer] { Q_EMIT cancelRequested(id, peer); });
        break;
      case State::Done:
        add(u"openButton"_s, tr("Open"), [this, path] { Q_EMIT openRequested(path); });
        add(u"showInFolderButton"_s, tr("Show in folder"), [this, path] { Q_EMIT showInFolderRequested(path); });
        break;
      case State::Failed: break;
    }
    layout->addStretch(1);
    view_->setIndexWidget(at, cell);  // deletes the one it replaces
  }
}

}  // namespace chatport::ui
