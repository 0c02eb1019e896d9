"""wallet PIN lock-out

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 09:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('wallet_pin_locks',
    sa.Column('wallet_id', sa.String(length=20), nullable=False),
    sa.Column('failed_pins', sa.Integer(), server_default='0', nullable=False),
    sa.Column('locked_until', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['wallet_id'], ['wallets.id'], name=op.f('fk_wallet_pin_locks_wallet_id_wallets')),
    sa.PrimaryKeyConstraint('wallet_id', name=op.f('pk_wallet_pin_locks'))
    )


def downgrade() -> None:
    op.drop_table('wallet_pin_locks')
