// Xml, haxe.xml.Parser (strict and lax), haxe.xml.Printer, haxe.xml.Access: node kinds,
// attributes, escapes, entities, CDATA, comments, doctype, iteration, errors.
import haxe.xml.Access;

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function walk(x:Xml, depth:Int) {
		var pad = StringTools.lpad("", " ", depth * 2);
		var line = pad + x.nodeType;
		switch (x.nodeType) {
			case Element:
				var atts = [for (a in x.attributes()) a + "=" + x.get(a)];
				atts.sort(Reflect.compare);
				line += " <" + x.nodeName + "> " + atts.join(",");
			case Document:
			default:
				line += " [" + x.nodeValue + "]";
		}
		Sys.println(line);
		if (x.nodeType == Element || x.nodeType == Document)
			for (c in x)
				walk(c, depth + 1);
	}

	static function main() {
		var src = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE root>\n<root a="1" b=\'two\'>\n  <!-- a comment -->\n  <item id="x" v="&lt;&amp;&gt;&quot;&apos;">text &amp; more &#65;&#x42; &unknown; é</item>\n  <empty/>\n  <![CDATA[raw <data> & stuff]]>\n  <nested><deep attr="d">deep text</deep><deep>second</deep></nested>\n</root>';
		var doc = Xml.parse(src);
		walk(doc, 0);
		var root = doc.firstElement();
		p("root name", root.nodeName);
		p("root get a", root.get("a"));
		p("root exists b", root.exists("b"));
		p("root exists c", root.exists("c"));
		p("elements", [for (e in root.elements()) e.nodeName]);
		p("elementsNamed deep", [for (e in root.elementsNamed("nested")) [for (d in e.elementsNamed("deep")) d.firstChild().nodeValue]]);
		p("toString", doc.toString());
		p("printer", haxe.xml.Printer.print(doc));
		p("printer pretty", haxe.xml.Printer.print(root, true));

		var x = Xml.createElement("made");
		x.set("k", "v<&>\"'");
		x.addChild(Xml.createPCData("pc <data> & 'q'"));
		x.addChild(Xml.createCData("cd]]"));
		x.addChild(Xml.createComment(" c "));
		x.addChild(Xml.createProcessingInstruction("pi stuff"));
		x.addChild(Xml.createDocType("dt"));
		var child = Xml.createElement("child");
		x.addChild(child);
		x.insertChild(Xml.createElement("first"), 0);
		p("built", x.toString());
		x.removeChild(child);
		x.remove("k");
		p("after remove", x.toString());
		p("parent", child.parent);
		p("first parent", x.firstElement().parent.nodeName);

		var a = new Access(Xml.parse('<cfg ver="2"><opt name="a">1</opt><opt name="b">2</opt><sub><leaf/></sub></cfg>').firstElement());
		p("access att", a.att.ver);
		p("access has", a.has.ver + " " + a.has.nope);
		p("access nodes", [for (o in a.nodes.opt) o.att.name + "=" + o.innerData]);
		p("access node", a.node.sub.name);
		p("access hasNode", a.hasNode.sub + " " + a.hasNode.nope);
		p("access elements", [for (e in a.elements) e.name]);
		p("access innerHTML", a.node.sub.innerHTML);
		try {
			p("access missing att", a.att.missing);
		} catch (e:Dynamic) {
			p("access missing att", "error " + e);
		}
		try {
			p("access missing node", a.node.missing);
		} catch (e:Dynamic) {
			p("access missing node", "error " + e);
		}

		for (bad in ["<a>", "<a></b>", "<a b=1/>", "<a><b></a>", "text only", "<a>&</a>", "<a x='1' x='2'/>", "", "<a/><b/>", "<!-- c -->"]) {
			try {
				p("parse [" + bad + "]", Xml.parse(bad).toString());
			} catch (e:Dynamic) {
				p("parse [" + bad + "]", "error " + e);
			}
			try {
				p("strict [" + bad + "]", haxe.xml.Parser.parse(bad, true).toString());
			} catch (e:Dynamic) {
				p("strict [" + bad + "]", "error " + e);
			}
		}
		var big = new StringBuf();
		big.add("<list>");
		for (i in 0...50)
			big.add('<i n="$i">${i * i}</i>');
		big.add("</list>");
		var sum = 0;
		for (e in Xml.parse(big.toString()).firstElement().elements())
			sum += Std.parseInt(e.firstChild().nodeValue);
		p("big sum", sum);
	}
}
