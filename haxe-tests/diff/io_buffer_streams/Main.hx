// haxe.io.BytesBuffer, BytesInput, BytesOutput, StringInput, Input/Output helpers
// (endianness, lines, until, all, Eof).
import haxe.io.*;

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		var bb = new BytesBuffer();
		bb.addByte(1);
		bb.addString("hé");
		bb.addInt32(-2);
		bb.addInt64(haxe.Int64.make(1, 2));
		bb.addFloat(0.5);
		bb.addDouble(-1.25);
		bb.add(Bytes.ofString("XY"));
		bb.addBytes(Bytes.ofString("abcdef"), 2, 3);
		bb.addString("raw", RawNative);
		p("buffer length", bb.length);
		var bytes = bb.getBytes();
		p("buffer hex", bytes.toHex());

		var out = new BytesOutput();
		out.writeByte(0x41);
		out.writeInt16(-2);
		out.writeUInt16(0xFFFE);
		out.writeInt24(-3);
		out.writeUInt24(0xABCDEF);
		out.writeInt32(0x12345678);
		out.writeFloat(3.25);
		out.writeDouble(Math.PI);
		out.writeString("str");
		out.bigEndian = true;
		out.writeInt16(0x0102);
		out.writeInt32(0x0A0B0C0D);
		out.writeDouble(1.0);
		out.writeFloat(-0.0);
		out.write(Bytes.ofString("!!"));
		out.writeFullBytes(Bytes.ofString("0123456789"), 3, 4);
		p("output length", out.length);
		var ob = out.getBytes();
		p("output hex", ob.toHex());

		var inp = new BytesInput(ob);
		p("readByte", inp.readByte());
		p("readInt16", inp.readInt16());
		p("readUInt16", inp.readUInt16());
		p("readInt24", inp.readInt24());
		p("readUInt24", inp.readUInt24());
		p("readInt32", inp.readInt32());
		p("readFloat", inp.readFloat());
		p("readDouble", inp.readDouble());
		p("readString", inp.readString(3));
		inp.bigEndian = true;
		p("readInt16 BE", inp.readInt16());
		p("readInt32 BE", inp.readInt32());
		p("readDouble BE", inp.readDouble());
		p("readFloat BE", inp.readFloat());
		p("position", inp.position);
		p("length", inp.length);
		p("readAll", inp.readAll().toString());
		try {
			inp.readByte();
			p("after end", "no error");
		} catch (e:Eof) {
			p("after end", "Eof " + e);
		}
		inp.position = 1;
		p("seek readByte", inp.readByte());
		var buf = Bytes.alloc(5);
		buf.fill(0, 5, 0x2D);
		var inp2 = new BytesInput(Bytes.ofString("abcdefgh"), 2, 4);
		p("sub input readBytes", inp2.readBytes(buf, 1, 4));
		p("sub input buf", buf.toString());
		p("sub input position", inp2.position);

		var lines = new BytesInput(Bytes.ofString("line1\nline2\r\nline3\n\nlast"));
		var got = [];
		try {
			while (true)
				got.push("[" + lines.readLine() + "]");
		} catch (e:Eof) {}
		p("readLine", got);
		var until = new BytesInput(Bytes.ofString("a,b,,c"));
		var parts = [];
		try {
			while (true)
				parts.push(until.readUntil(",".code));
		} catch (e:Eof) {}
		p("readUntil", parts);

		var si = new StringInput("héllo\nworld");
		p("StringInput readLine", si.readLine());
		p("StringInput readAll", si.readAll().toString());
		var fb = new BytesInput(Bytes.ofString("0123456789"));
		var target = Bytes.alloc(4);
		fb.readFullBytes(target, 0, 4);
		p("readFullBytes", target.toString());
		p("read", fb.read(3).toString());
		try {
			fb.read(10);
			p("read too much", "ok");
		} catch (e:Dynamic) {
			p("read too much", Std.string(e));
		}
		var o2 = new BytesOutput();
		o2.prepare(100);
		o2.writeInput(new BytesInput(Bytes.ofString("copied through writeInput")), 4);
		p("writeInput", o2.getBytes().toString());
		try {
			new BytesOutput().writeByte(1);
			var o3 = new BytesOutput();
			o3.writeInt16(40000);
			p("writeInt16 overflow", "ok");
		} catch (e:Dynamic) {
			p("writeInt16 overflow", Std.string(e));
		}
		try {
			var o4 = new BytesOutput();
			o4.writeInt24(0x800000);
			p("writeInt24 overflow", "ok");
		} catch (e:Dynamic) {
			p("writeInt24 overflow", Std.string(e));
		}
		p("Error values", [haxe.io.Error.Blocked, haxe.io.Error.Overflow, haxe.io.Error.OutsideBounds, haxe.io.Error.Custom("x")]);
		p("Encoding", [Encoding.UTF8, Encoding.RawNative]);
	}
}
